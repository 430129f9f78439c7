// Following processes through a record stream: which program each pid runs
// (from the exec records seen so far), which pids a fork created, and when a
// pid ends (its exit record), so a reused pid is not mistaken for the old
// process. Memory holds one entry per live process seen, not per record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "bullion/bsm/facts.h"
#include "bullion/tools/event_kinds.h"

namespace bullion::tools {

// The program a record started: the exec record's path token (the resolved
// executable), or argv[0] when the record has no path.
std::string_view executable_of(const bsm::RecordFacts& facts);
// The pid of the process a fork/spawn record created; nullopt when the
// record failed or carries none. BSD kernels give it as the return value,
// macOS posix_spawn and our Linux translation also as argument 0 ("child
// PID"); the argument wins when both are there.
std::optional<uint32_t> child_pid_of(const bsm::RecordFacts& facts, EventKind kind);
// "/usr/bin/ls" -> "ls".
std::string_view base_name(std::string_view path);
bool succeeded(const bsm::RecordFacts& facts);

// pid -> executable path. A fork child inherits its parent's program until
// it execs; exit forgets the pid.
class ProcessNames {
 public:
  explicit ProcessNames(const EventKinds& kinds) : kinds_(kinds) {}
  // Call for every record, in stream order, after using name() for it (an
  // exit record still names the process that exits).
  void observe(const bsm::RecordFacts& facts);
  // The executable path, or nullopt when no exec of this pid was seen.
  std::optional<std::string_view> name(uint32_t pid) const;
  size_t size() const { return names_.size(); }

 private:
  const EventKinds& kinds_;
  std::unordered_map<uint32_t, std::string> names_;
};

// The pids of processes that ran a program with one of the given base names,
// and of all their descendants.
class DescendantTracker {
 public:
  DescendantTracker(const EventKinds& kinds, std::unordered_set<std::string> base_names)
      : kinds_(kinds), base_names_(std::move(base_names)) {}
  // Updates the set with one record and says whether the record belongs to
  // a followed process (its subject before the record, or the process the
  // record made followed). An exit record of a followed pid is selected, and
  // the pid is dropped after it.
  bool select(const bsm::RecordFacts& facts);
  bool following(uint32_t pid) const { return followed_.contains(pid); }
  size_t size() const { return followed_.size(); }

 private:
  bool runs_named_program(const bsm::RecordFacts& facts) const;
  const EventKinds& kinds_;
  std::unordered_set<std::string> base_names_;
  std::unordered_set<uint32_t> followed_;
};

}  // namespace bullion::tools
