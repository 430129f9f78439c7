// Who did what: process identity through a record stream. A pid is only a
// name for a while; a process is a node that begins (fork, posix_spawn, or
// first seen), may run several programs (exec), and ends (exit, or its pid
// named as a new child: the exit record was lost). A record whose pid has
// ended starts a new node, so a reused pid is never mistaken for the old
// process. One table serves the hand tools (program names, descendants,
// the child of a spawn) and auditview (the tree).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/tools/event_kinds.h"

namespace bullion::tools {

// A process node's number: 1, 2, 3 ... in the order nodes begin; 0 = none.
using ProcessRef = uint32_t;

enum class Origin : uint8_t {
  Seen,   // its first record was its own: began before the trail, or its fork was not audited
  Fork,   // a fork/vfork/rfork/clone/pdfork record named it as the child
  Spawn,  // a posix_spawn record named it as the child
  Ppid,   // first seen with a parent pid in the record (Linux: ppid=), that parent running
};
enum class Ending : uint8_t {
  Running,  // no end seen
  Exit,     // its exit record
  Reused,   // a fork or spawn named its pid as a new child (the exit was not audited)
};

std::string_view origin_word(Origin origin);
std::string_view ending_word(Ending ending);

// Milliseconds since the epoch, from a record's header.
inline uint64_t record_time_ms(const bsm::RecordFacts& f) { return f.seconds * 1000 + f.msec % 1000; }

struct ProcessNode {
  ProcessRef ref = 0;
  uint32_t pid = 0;
  ProcessRef parent = 0;  // the node that forked or spawned it
  Origin origin = Origin::Seen;
  Ending ending = Ending::Running;
  uint64_t start_ms = 0;  // its first record, or the record that created it
  uint64_t end_ms = 0;    // when ending != Running
  bool has_serial = false;
  uint32_t serial = 0;  // sequence number of the record it began with (Linux: the event serial)
  // The executable it runs: the last successful exec's (or the spawn's), or
  // inherited from the parent at fork. Empty when unknown.
  std::string program;
};

// What one record meant for identity.
struct ProcessStep {
  EventKind kind = EventKind::Other;
  bool succeeded = true;
  ProcessRef actor = 0;  // the subject's process (0: no subject, or not tracked)
  bool actor_is_new = false;
  ProcessRef child = 0;      // the process this record created (fork, spawn)
  ProcessRef replaced = 0;   // a running node ended because its pid became the child's
  bool ran_program = false;  // actor (exec) or child (spawn) started a program
  bool ended = false;        // the actor exited with this record
};

struct ProcessTableOptions {
  // Keep ended nodes (auditview draws them); the hand tools forget them.
  bool keep_ended = false;
  // A node for every pid that has a record (auditview). Without it, a node
  // is made only when there is something to remember: a program (exec,
  // spawn, a fork of a process with one) or a parent. A pid that only opens
  // files then costs nothing, so a trail with a million short-lived pids
  // does not fill the table (the hand tools).
  bool track_every_pid = false;
  // Look the subject up for every record (step.actor). Without it, records
  // that cannot change identity (not exec, fork, spawn or exit) are passed
  // over with no lookup: ProcessNames asks running() when it needs a name.
  bool actor_on_every_record = true;
  // At most this many nodes at once. Past it, new processes are not
  // tracked (counted in untracked_records()).
  size_t max_processes = 1u << 20;
};

// The executable a record started: its path token (the resolved program),
// or argv[0] when the record has no path.
std::string_view executable_of(const bsm::RecordFacts& facts);
// The pid of the process a fork/spawn record created; nullopt when the
// record failed or carries none. BSD kernels give it as the return value,
// macOS posix_spawn and our Linux translation also as argument 0 ("child
// PID"); the argument wins when both are there.
std::optional<uint32_t> child_pid_of(const bsm::RecordFacts& facts, EventKind kind);
bool succeeded(const bsm::RecordFacts& facts);

class ProcessTable {
 public:
  ProcessTable(const EventKinds& kinds, ProcessTableOptions options = {});

  // Call for every record in stream order. The step's nodes stay valid
  // until the next call (with keep_ended: for the table's life).
  ProcessStep observe(const bsm::RecordFacts& facts);

  const ProcessNode* node(ProcessRef ref) const;
  // The running node that has this pid now.
  const ProcessNode* running(uint32_t pid) const;
  size_t size() const { return nodes_.size(); }
  ProcessRef last_ref() const { return next_ref_ - 1; }
  uint64_t untracked_records() const { return untracked_records_; }
  uint64_t untracked_processes() const { return untracked_processes_; }

 private:
  ProcessNode* begin_node(uint32_t pid, Origin origin, const ProcessNode* parent, const bsm::RecordFacts& facts);
  void end_node(ProcessNode& node, Ending ending, uint64_t at_ms);
  bool worth_a_node(const bsm::RecordFacts& facts, const ProcessStep& step) const;
  static bool joins_as_child(const ProcessNode& existing, ProcessRef parent, uint64_t fork_ms);
  void parent_from_ppid(ProcessNode& node, uint32_t ppid);
  ProcessStep observe_untracked(const bsm::RecordFacts& facts, ProcessStep& step);
  ProcessRef take_child(uint32_t child_pid, Origin origin, const ProcessNode& parent, const bsm::RecordFacts& facts,
                        ProcessStep& step);
  void forget_ended();

  const EventKinds& kinds_;
  ProcessTableOptions options_;
  std::unordered_map<ProcessRef, ProcessNode> nodes_;
  std::unordered_map<uint32_t, ProcessNode*> running_;  // pid -> its running node (in nodes_)
  std::vector<ProcessRef> ended_;                       // to forget at the next record (without keep_ended)
  ProcessRef next_ref_ = 1;
  uint64_t untracked_records_ = 0;
  uint64_t untracked_processes_ = 0;
};

}  // namespace bullion::tools
