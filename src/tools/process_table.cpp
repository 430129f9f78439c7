#include "bullion/tools/process_table.h"

#include <algorithm>

namespace bullion::tools {

std::string_view origin_word(Origin origin) {
  switch (origin) {
    case Origin::Fork:
      return "fork";
    case Origin::Spawn:
      return "spawn";
    case Origin::Ppid:
      return "ppid";
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

namespace {

bool changes_identity(EventKind kind) {
  return kind == EventKind::Exec || kind == EventKind::Spawn || kind == EventKind::Fork || kind == EventKind::Exit;
}

}  // namespace

ProcessTable::ProcessTable(const EventKinds& kinds, ProcessTableOptions options) : kinds_(kinds), options_(options) {}

const ProcessNode* ProcessTable::node(ProcessRef ref) const {
  const auto it = nodes_.find(ref);
  return it == nodes_.end() ? nullptr : &it->second;
}

const ProcessNode* ProcessTable::running(uint32_t pid) const {
  const auto it = running_.find(pid);
  return it == running_.end() ? nullptr : it->second;
}

// One lookup of the subject's pid per record: this runs for every record a
// hand tool reads.
ProcessStep ProcessTable::observe(const bsm::RecordFacts& facts) {
  forget_ended();
  ProcessStep step;
  step.kind = kinds_.of(facts.event);
  step.succeeded = succeeded(facts);
  if (!facts.has_subject) return step;  // nobody to attribute it to
  if (!options_.actor_on_every_record && !changes_identity(step.kind)) return step;
  ProcessNode* actor = nullptr;
  if (const auto it = running_.find(facts.subject.pid); it != running_.end()) {
    actor = it->second;
    // A process first seen mid-life began no later than its earliest record
    // (trails from several hosts or files are not always in time order).
    if (actor->origin == Origin::Seen) actor->start_ms = std::min(actor->start_ms, record_time_ms(facts));
  } else if (options_.track_every_pid || worth_a_node(facts, step)) {
    actor = begin_node(facts.subject.pid, Origin::Seen, nullptr, facts);
    step.actor_is_new = actor != nullptr;
    if (!actor) {
      ++untracked_records_;
      return step;
    }
  } else {
    return observe_untracked(facts, step);
  }
  step.actor = actor->ref;
  if (facts.has_ppid && actor->parent == 0 && actor->origin == Origin::Seen) parent_from_ppid(*actor, facts.ppid);
  if (step.kind == EventKind::Exec && step.succeeded) {
    actor->program = std::string(executable_of(facts));
    step.ran_program = true;
  }
  if (auto child_pid = child_pid_of(facts, step.kind); child_pid && *child_pid != actor->pid) {
    const Origin origin = step.kind == EventKind::Spawn ? Origin::Spawn : Origin::Fork;
    step.child = take_child(*child_pid, origin, *actor, facts, step);
  }
  if (step.kind == EventKind::Exit) {
    end_node(*actor, Ending::Exit, record_time_ms(facts));
    step.ended = true;
  }
  return step;
}

// A child's own records may come before its parent's fork record: a node
// first seen no earlier than the fork, with no parent or this one (from its
// ppid), is that child, not an older process with the same pid.
bool ProcessTable::joins_as_child(const ProcessNode& existing, ProcessRef parent, uint64_t fork_ms) {
  const bool seen_first = existing.origin == Origin::Seen || existing.origin == Origin::Ppid;
  const bool no_other_parent = existing.parent == 0 || existing.parent == parent;
  return seen_first && no_other_parent && existing.start_ms >= fork_ms;
}

// Linux records name the parent pid: a process whose fork was not audited
// still joins the tree under its parent, when that parent is running and
// began before it.
void ProcessTable::parent_from_ppid(ProcessNode& node, uint32_t ppid) {
  if (ppid == node.pid) return;
  const auto it = running_.find(ppid);
  if (it == running_.end() || it->second->start_ms > node.start_ms) return;
  node.parent = it->second->ref;
  node.origin = Origin::Ppid;
}

// Without track_every_pid: a pid the table does not know needs a node only
// when the record gives it a program (an exec, or a spawn's child).
bool ProcessTable::worth_a_node(const bsm::RecordFacts& facts, const ProcessStep& step) const {
  if (step.kind == EventKind::Exec && step.succeeded) return true;
  return step.kind == EventKind::Spawn && child_pid_of(facts, step.kind).has_value();
}

// A record of an unknown pid with nothing to remember: only a fork naming
// a running pid as its child still matters (that process has ended).
ProcessStep ProcessTable::observe_untracked(const bsm::RecordFacts& facts, ProcessStep& step) {
  if (auto child_pid = child_pid_of(facts, step.kind); child_pid && *child_pid != facts.subject.pid) {
    if (const auto it = running_.find(*child_pid); it != running_.end()) {
      ProcessNode& existing = *it->second;
      const bool joins_child =
          existing.origin == Origin::Seen && existing.parent == 0 && existing.start_ms >= record_time_ms(facts);
      if (!joins_child) {
        step.replaced = existing.ref;
        end_node(existing, Ending::Reused, record_time_ms(facts));
      }
    }
  }
  return step;
}

// The child a fork or spawn names. Its pid may already have a running node:
// either the child itself, whose own records were written before its
// parent's fork record (both kernels write a record when the call returns,
// and the child may return first), or an older process whose exit was not
// audited, which ends here.
ProcessRef ProcessTable::take_child(uint32_t child_pid, Origin origin, const ProcessNode& parent,
                                    const bsm::RecordFacts& facts, ProcessStep& step) {
  const uint64_t now = record_time_ms(facts);
  std::string program(step.kind == EventKind::Spawn ? executable_of(facts) : parent.program);
  if (step.kind == EventKind::Spawn) step.ran_program = true;
  if (const auto it = running_.find(child_pid); it != running_.end()) {
    ProcessNode& existing = *it->second;
    if (joins_as_child(existing, parent.ref, now)) {
      existing.origin = origin;
      existing.parent = parent.ref;
      existing.start_ms = now;
      if (existing.program.empty()) existing.program = std::move(program);
      return existing.ref;
    }
    step.replaced = existing.ref;
    end_node(existing, Ending::Reused, now);
  }
  ProcessNode* child = begin_node(child_pid, origin, &parent, facts);
  if (!child) return 0;
  child->program = std::move(program);
  return child->ref;
}

ProcessNode* ProcessTable::begin_node(uint32_t pid, Origin origin, const ProcessNode* parent,
                                      const bsm::RecordFacts& facts) {
  if (nodes_.size() >= options_.max_processes) {
    ++untracked_processes_;
    return nullptr;
  }
  const ProcessRef ref = next_ref_++;
  ProcessNode& n = nodes_[ref];
  n.ref = ref;
  n.pid = pid;
  n.parent = parent ? parent->ref : 0;
  n.origin = origin;
  n.start_ms = record_time_ms(facts);
  n.has_serial = facts.has_sequence;
  n.serial = facts.sequence;
  running_[pid] = &n;  // nodes of an unordered_map keep their address
  return &n;
}

void ProcessTable::end_node(ProcessNode& node, Ending ending, uint64_t at_ms) {
  node.ending = ending;
  node.end_ms = at_ms;
  if (const auto it = running_.find(node.pid); it != running_.end() && it->second == &node) running_.erase(it);
  if (!options_.keep_ended) ended_.push_back(node.ref);
}

void ProcessTable::forget_ended() {
  for (ProcessRef ref : ended_) nodes_.erase(ref);
  ended_.clear();
}

}  // namespace bullion::tools
