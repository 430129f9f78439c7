#include "bullion/tools/process_tracker.h"

namespace bullion::tools {

std::string_view base_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<std::string_view> ProcessNames::name(uint32_t pid) const {
  const ProcessNode* node = table_.running(pid);
  if (!node || node->program.empty()) return std::nullopt;
  return std::string_view(node->program);
}

bool DescendantTracker::runs_named_program(const bsm::RecordFacts& facts) const {
  if (!kinds_.starts_program(facts.event) || !succeeded(facts)) return false;
  return base_names_.contains(std::string(base_name(executable_of(facts))));
}

bool DescendantTracker::following(uint32_t pid) const {
  const ProcessNode* node = table_.running(pid);
  return node && followed_.contains(node->ref);
}

bool DescendantTracker::select(const bsm::RecordFacts& facts) {
  const ProcessStep step = table_.observe(facts);
  if (step.replaced) followed_.erase(step.replaced);
  if (step.actor == 0) return false;
  // A process first seen with its parent's pid (Linux ppid=, the clone not
  // audited) is followed when its parent is.
  if (step.actor_is_new) {
    const ProcessNode* node = table_.node(step.actor);
    if (node && node->parent && followed_.contains(node->parent)) followed_.insert(step.actor);
  }
  bool selected = followed_.contains(step.actor);
  const bool named = runs_named_program(facts);
  if (step.kind == EventKind::Exec && named) {
    followed_.insert(step.actor);
    selected = true;
  }
  // A spawned child is followed when its parent is, or when the program it
  // starts has the name; a forked child when its parent is.
  if (step.child && (selected || named)) {
    followed_.insert(step.child);
    selected = true;
  }
  if (step.ended) followed_.erase(step.actor);
  return selected;
}

}  // namespace bullion::tools
