// filewatcher's lines: which records are file events worth a line, and the
// line itself, as text or JSON. Kept apart from the tool so the rules (what
// matches -f and -p, what is shown for a record without a subject, how a
// reused pid is named) are library code with tests of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bullion/bsm/facts.h"
#include "bullion/tables.h"
#include "bullion/text/json_writer.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"

namespace bullion::tools {

struct FileEventOptions {
  std::string file;     // -f: a path prefix, or an fnmatch(3) glob when it has * ? [
  std::string process;  // -p: the executable's base name, or its full path when it has a '/'
  bool all = false;     // -a: every event, not only the file events
  bool json = false;
  bool color = false;  // santoru's colours: user cyan, event yellow, process green
};

class FileEventLines {
 public:
  FileEventLines(const FileEventOptions& options, const tables::TableSet& tables);

  // Appends the record's line (newline included) to `out` when the record
  // is shown, and follows processes through it. Every record goes through
  // here, shown or not, in stream order.
  bool add(const bsm::RecordFacts& facts, std::string& out);

 private:
  bool path_matches(const bsm::RecordFacts& facts) const;
  bool one_path_matches(std::string_view path) const;
  bool process_matches(std::optional<std::string_view> exe) const;
  std::string_view label(uint16_t event, EventKind kind);
  void append_text(const bsm::RecordFacts& f, EventKind kind, std::string_view label, std::string_view process,
                   std::string& out);
  void append_json(const bsm::RecordFacts& f, std::string_view label, std::string_view process, std::string& out);
  std::string_view date_time(uint64_t seconds);

  FileEventOptions options_;
  const tables::TableSet& tables_;
  EventKinds kinds_;
  ProcessNames names_;
  bool file_is_glob_ = false;
  std::string label_, process_, user_;
  uint64_t clock_seconds_ = 0;
  std::string clock_text_;
};

// rename, link and symlink name a source and a target; other events with
// two path tokens (open: the path given and the one resolved) repeat one.
bool shows_second_path(EventKind kind, const bsm::RecordFacts& facts);

}  // namespace bullion::tools
