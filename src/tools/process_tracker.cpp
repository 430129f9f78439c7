#include "bullion/tools/process_tracker.h"

namespace bullion::tools {

std::string_view executable_of(const bsm::RecordFacts& facts) {
  if (facts.path_count > 0 && !facts.first_path.empty()) return facts.first_path;
  std::string_view first;
  bsm::for_each_string(facts.exec_args, facts.exec_argc > 0 ? 1 : 0, [&](std::string_view s) { first = s; });
  return first;
}

bool succeeded(const bsm::RecordFacts& facts) { return !facts.has_return || facts.return_errno == 0; }

std::optional<uint32_t> child_pid_of(const bsm::RecordFacts& facts, EventKind kind) {
  if (kind != EventKind::Fork && kind != EventKind::Spawn) return std::nullopt;
  if (!succeeded(facts)) return std::nullopt;
  if (facts.has_arg0 && facts.arg0 != 0) return static_cast<uint32_t>(facts.arg0);
  // posix_spawn returns 0 (an error number), not the pid.
  if (kind == EventKind::Fork && facts.has_return && facts.return_value != 0) {
    return static_cast<uint32_t>(facts.return_value);
  }
  return std::nullopt;
}

std::string_view base_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void ProcessNames::observe(const bsm::RecordFacts& facts) {
  if (!facts.has_subject) return;
  const uint32_t pid = facts.subject.pid;
  const EventKind kind = kinds_.of(facts.event);
  if (kind == EventKind::Exit) {
    names_.erase(pid);
  } else if (kind == EventKind::Exec && succeeded(facts)) {
    names_[pid] = std::string(executable_of(facts));
  } else if (auto child = child_pid_of(facts, kind)) {
    if (kind == EventKind::Spawn) {
      names_[*child] = std::string(executable_of(facts));
    } else if (auto parent = names_.find(pid); parent != names_.end()) {
      names_[*child] = parent->second;
    } else {
      names_.erase(*child);  // a stale name from a reused pid would mislead
    }
  }
}

std::optional<std::string_view> ProcessNames::name(uint32_t pid) const {
  const auto it = names_.find(pid);
  if (it == names_.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool DescendantTracker::runs_named_program(const bsm::RecordFacts& facts) const {
  if (!kinds_.starts_program(facts.event) || !succeeded(facts)) return false;
  return base_names_.contains(std::string(base_name(executable_of(facts))));
}

bool DescendantTracker::select(const bsm::RecordFacts& facts) {
  if (!facts.has_subject) return false;
  const uint32_t pid = facts.subject.pid;
  const EventKind kind = kinds_.of(facts.event);
  bool selected = followed_.contains(pid);
  const bool named = runs_named_program(facts);
  if (kind == EventKind::Exec && named) {
    followed_.insert(pid);
    selected = true;
  }
  if (auto child = child_pid_of(facts, kind)) {
    // A spawned child is followed when its parent is, or when the program
    // it starts has the name; a forked child when its parent is.
    if (selected || named) {
      followed_.insert(*child);
      selected = true;
    } else {
      followed_.erase(*child);  // a reused pid starts unfollowed
    }
  }
  if (kind == EventKind::Exit) followed_.erase(pid);
  return selected;
}

}  // namespace bullion::tools
