// The hand tools' questions about processes, answered from the one process
// table (bullion/tools/process_table.h): which program a pid runs now, and
// which processes descend from a named program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "bullion/bsm/facts.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_table.h"

namespace bullion::tools {

// "/usr/bin/ls" -> "ls".
std::string_view base_name(std::string_view path);

// pid -> executable path. A fork child inherits its parent's program until
// it execs; exit forgets the pid.
class ProcessNames {
 public:
  explicit ProcessNames(const EventKinds& kinds) : table_(kinds, {.actor_on_every_record = false}) {}
  // Call for every record, in stream order, after using name() for it (an
  // exit record still names the process that exits).
  void observe(const bsm::RecordFacts& facts) { (void)table_.observe(facts); }
  // The executable path, or nullopt when no exec of this pid was seen.
  std::optional<std::string_view> name(uint32_t pid) const;
  size_t size() const { return table_.size(); }

 private:
  ProcessTable table_;
};

// The processes that ran a program with one of the given base names, and
// all their descendants. A process is a node of the process table, so a
// reused pid is a new, unfollowed process.
class DescendantTracker {
 public:
  DescendantTracker(const EventKinds& kinds, std::unordered_set<std::string> base_names)
      : kinds_(kinds), table_(kinds), base_names_(std::move(base_names)) {}
  // Updates the set with one record and says whether the record belongs to
  // a followed process (its subject before the record, or the process the
  // record made followed). An exit record of a followed process is
  // selected, and the process dropped after it.
  bool select(const bsm::RecordFacts& facts);
  bool following(uint32_t pid) const;
  size_t size() const { return followed_.size(); }

 private:
  bool runs_named_program(const bsm::RecordFacts& facts) const;
  const EventKinds& kinds_;
  ProcessTable table_;
  std::unordered_set<std::string> base_names_;
  std::unordered_set<ProcessRef> followed_;
};

}  // namespace bullion::tools
