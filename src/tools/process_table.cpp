#include "bullion/tools/process_table.h"

#include <algorithm>

namespace bullion::tools {

std::string_view origin_word(Origin origin) {
  switch (origin) {
    case Origin::Fork:
      return "fork";
    case Origin::Spawn:
      return "spawn";
    case Origin::Seen:
      break;
  }
  return "seen";
}

std::string_view ending_word(Ending ending) {
  switch (ending) {
    case Ending::Exit:
      return "exit";
    case Ending::Reused:
      return "pid reused";
    case Ending::Running:
      break;
  }
  return "running";
}

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

ProcessTable::ProcessTable(const EventKinds& kinds, ProcessTableOptions options) : kinds_(kinds), options_(options) {}

const ProcessNode* ProcessTable::node(ProcessRef ref) const {
  const auto it = nodes_.find(ref);
  return it == nodes_.end() ? nullptr : &it->second;
}

const ProcessNode* ProcessTable::running(uint32_t pid) const {
  const auto it = running_.find(pid);
  return it == running_.end() ? nullptr : node(it->second);
}

ProcessStep ProcessTable::observe(const bsm::RecordFacts& facts) {
  forget_ended();
  ProcessStep step;
  step.kind = kinds_.of(facts.event);
  step.succeeded = succeeded(facts);
  if (!facts.has_subject) return step;  // nobody to attribute it to
  step.actor = actor_of(facts, step);
  if (step.actor == 0) {
    ++untracked_records_;
    return step;
  }
  ProcessNode& actor = nodes_.at(step.actor);
  if (step.kind == EventKind::Exec && step.succeeded) {
    actor.program = std::string(executable_of(facts));
    step.ran_program = true;
  }
  if (auto child_pid = child_pid_of(facts, step.kind); child_pid && *child_pid != actor.pid) {
    const Origin origin = step.kind == EventKind::Spawn ? Origin::Spawn : Origin::Fork;
    step.child = take_child(*child_pid, origin, step.actor, facts, step);
  }
  if (step.kind == EventKind::Exit) {
    end_node(nodes_.at(step.actor), Ending::Exit, record_time_ms(facts));
    step.ended = true;
  }
  return step;
}

ProcessRef ProcessTable::actor_of(const bsm::RecordFacts& facts, ProcessStep& step) {
  const auto it = running_.find(facts.subject.pid);
  if (it != running_.end()) {
    // A process first seen mid-life began no later than its earliest record
    // (trails from several hosts or files are not always in time order).
    ProcessNode& n = nodes_.at(it->second);
    if (n.origin == Origin::Seen) n.start_ms = std::min(n.start_ms, record_time_ms(facts));
    return it->second;
  }
  step.actor_is_new = true;
  return begin_node(facts.subject.pid, Origin::Seen, 0, facts);
}

// The child a fork or spawn names. Its pid may already have a running node:
// either the child itself, whose own records were written before its
// parent's fork record (both kernels write a record when the call returns,
// and the child may return first), or an older process whose exit was not
// audited, which ends here.
ProcessRef ProcessTable::take_child(uint32_t child_pid, Origin origin, ProcessRef parent, const bsm::RecordFacts& facts,
                                    ProcessStep& step) {
  const uint64_t now = record_time_ms(facts);
  const ProcessNode& parent_node = nodes_.at(parent);
  std::string program(step.kind == EventKind::Spawn ? executable_of(facts) : parent_node.program);
  if (step.kind == EventKind::Spawn) step.ran_program = true;
  if (const auto it = running_.find(child_pid); it != running_.end()) {
    ProcessNode& existing = nodes_.at(it->second);
    if (existing.origin == Origin::Seen && existing.parent == 0 && existing.start_ms >= now) {
      existing.origin = origin;
      existing.parent = parent;
      existing.start_ms = now;
      if (existing.program.empty()) existing.program = std::move(program);
      return existing.ref;
    }
    step.replaced = existing.ref;
    end_node(existing, Ending::Reused, now);
  }
  const ProcessRef child = begin_node(child_pid, origin, parent, facts);
  if (child != 0) nodes_.at(child).program = std::move(program);
  return child;
}

ProcessRef ProcessTable::begin_node(uint32_t pid, Origin origin, ProcessRef parent, const bsm::RecordFacts& facts) {
  if (nodes_.size() >= options_.max_processes) {
    ++untracked_processes_;
    return 0;
  }
  const ProcessRef ref = next_ref_++;
  ProcessNode& n = nodes_[ref];
  n.ref = ref;
  n.pid = pid;
  n.parent = parent;
  n.origin = origin;
  n.start_ms = record_time_ms(facts);
  n.has_serial = facts.has_sequence;
  n.serial = facts.sequence;
  running_[pid] = ref;
  return ref;
}

void ProcessTable::end_node(ProcessNode& node, Ending ending, uint64_t at_ms) {
  node.ending = ending;
  node.end_ms = at_ms;
  if (const auto it = running_.find(node.pid); it != running_.end() && it->second == node.ref) running_.erase(it);
  if (!options_.keep_ended) ended_.push_back(node.ref);
}

void ProcessTable::forget_ended() {
  for (ProcessRef ref : ended_) nodes_.erase(ref);
  ended_.clear();
}

}  // namespace bullion::tools
