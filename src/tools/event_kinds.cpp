#include "bullion/tools/event_kinds.h"

#include <utility>

namespace bullion::tools {
namespace {

constexpr std::string_view kWords[] = {
#define X(name, word) word,
    BULLION_EVENT_KINDS(X)
#undef X
};

// AUE_ names -> kind. A name ending in '*' matches as a prefix. The first
// matching row wins, so exact names come before the prefixes they share
// (AUE_READLINK before AUE_READ*).
struct NameRule {
  std::string_view pattern;
  EventKind kind;
};

constexpr NameRule kRules[] = {
    {"AUE_EXECVE", EventKind::Exec},
    {"AUE_EXEC", EventKind::Exec},
    {"AUE_FEXECVE", EventKind::Exec},
    {"AUE_MAC_EXECVE", EventKind::Exec},
    {"AUE_EXECVEAT", EventKind::Exec},
    {"AUE_POSIX_SPAWN", EventKind::Spawn},
    {"AUE_FORK", EventKind::Fork},
    {"AUE_VFORK", EventKind::Fork},
    {"AUE_RFORK", EventKind::Fork},
    {"AUE_PDFORK", EventKind::Fork},
    {"AUE_DARWIN_FORK", EventKind::Fork},
    {"AUE_FORK1", EventKind::Fork},
    {"AUE_EXIT", EventKind::Exit},
    {"AUE_READLINK*", EventKind::Readlink},
    {"AUE_READ", EventKind::Read},
    {"AUE_READV", EventKind::Read},
    {"AUE_PREAD*", EventKind::Read},
    {"AUE_WRITE", EventKind::Write},
    {"AUE_WRITEV", EventKind::Write},
    {"AUE_PWRITE*", EventKind::Write},
    {"AUE_TRUNCATE", EventKind::Write},
    {"AUE_FTRUNCATE", EventKind::Write},
    {"AUE_CLOSE*", EventKind::Close},
    {"AUE_OPEN*", EventKind::Open},
    {"AUE_CREAT", EventKind::Create},
    {"AUE_MKDIR*", EventKind::Create},
    {"AUE_MKFIFO*", EventKind::Create},
    {"AUE_MKNOD*", EventKind::Create},
    {"AUE_LINK*", EventKind::Create},
    {"AUE_SYMLINK*", EventKind::Create},
    {"AUE_UNLINK*", EventKind::Delete},
    {"AUE_RMDIR", EventKind::Delete},
    {"AUE_RENAME*", EventKind::Rename},
    {"AUE_ACCESS", EventKind::Access},
    {"AUE_EACCESS", EventKind::Access},
    {"AUE_FACCESSAT", EventKind::Access},
    {"AUE_ACCESS_EXTENDED", EventKind::Access},
};

bool matches(std::string_view pattern, std::string_view name) {
  if (pattern.ends_with('*')) return name.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == name;
}

}  // namespace

std::string_view event_kind_word(EventKind kind) { return kWords[static_cast<size_t>(kind)]; }

EventKind event_kind_from_word(std::string_view word) {
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (kWords[i] == word) return static_cast<EventKind>(i);
  }
  return EventKind::Other;
}

EventKind event_kind_of_name(std::string_view aue_name) {
  for (const NameRule& rule : kRules) {
    if (matches(rule.pattern, aue_name)) return rule.kind;
  }
  return EventKind::Other;
}

std::string event_short_name(const tables::EventTable& events, uint16_t event) {
  const auto* entry = events.find(event);
  if (!entry) return std::to_string(event);
  std::string_view name = entry->name;
  if (name.starts_with("AUE_")) name.remove_prefix(4);
  std::string label;
  label.reserve(name.size());
  for (char c : name) label += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  return label;
}

EventKinds::EventKinds(const tables::EventTable& events) {
  kinds_.fill(EventKind::Other);
  // Walk backwards so the first entry with a number wins, as find() does.
  const auto entries = events.entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    kinds_[it->number] = event_kind_of_name(it->name);
  }
}

}  // namespace bullion::tools
