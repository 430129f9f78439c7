// The sequence engine. Speed comes from two indexes built once: for every
// event number, the sequences whose first state can match it (starters) and
// the sequences with a later state that can match it (followers). A record
// visits only those, and finds its instance with one hash lookup by key
// (subject value, pid, session or global), instead of scanning instances.
#include "bullion/trace/engine.h"

#include <fnmatch.h>

#include <random>
#include <unordered_map>

namespace bullion::trace {
namespace {

constexpr uint32_t kNonAttributable = 0xffffffffu;  // AU_DEFAUDITID
constexpr uint64_t kSweepInterval = 60;             // record seconds between expiry sweeps

struct Instance {
  uint32_t spec_state = 0;        // state being waited for
  uint32_t matched_in_state = 0;  // copies of it (multiplier) already matched
  uint32_t expanded = 0;          // expanded index of the state being waited for
  uint64_t first_seconds = 0;
  uint64_t timeout = 0;  // 0 = none; includes the timeout-window draw
  std::vector<MatchedRecord> records;
};

struct CompiledSequence {
  const SequenceSpec* spec = nullptr;
  uint32_t expanded_states = 0;  // sum of multipliers
  std::unordered_map<uint64_t, Instance> instances;
  uint64_t completed_record = UINT64_MAX;  // record number that last completed an instance
  uint64_t completed_key = 0;
};

// Offsets per event number into one flat list: the CSR layout keeps the
// index in two allocations however many sequences there are.
struct EventIndex {
  std::vector<uint32_t> offsets;  // 65537
  std::vector<uint32_t> items;
  std::pair<const uint32_t*, const uint32_t*> at(uint16_t event) const {
    return {items.data() + offsets[event], items.data() + offsets[event + 1]};
  }
};

}  // namespace

struct Engine::Impl {
  Impl(const tables::EventTable& e, EngineSink& s, EngineOptions o)
      : events(e), sink(s), options(o), rng(o.random_seed) {}

  const tables::EventTable& events;
  EngineSink& sink;
  EngineOptions options;
  std::mt19937_64 rng;
  std::vector<CompiledSequence> sequences;
  std::vector<SequenceSpec> specs;  // owned copy: alerts point into it
  EventIndex starters, followers;
  std::vector<uint32_t> class_mask_by_event;  // 65536; 0 for unknown events
  std::vector<uint8_t> event_known;           // 65536
  bool uses_objects = false;
  bool has_timeouts = false;
  std::unordered_map<uint64_t, std::string> path_cache;  // (fsid << 64-bit mix) -> path
  uint64_t next_sweep = 0;
  EngineStats stats;
  std::string zone_buffer;

  // Per-record scratch.
  const bsm::RecordFacts* facts = nullptr;
  std::string_view object;
  bool object_resolved = false;

  void build();
  EventIndex build_index(bool first_state);
  bool state_accepts_event(const StateSpec& st, uint16_t event) const;
  void process(const bsm::RecordFacts& f);
  void remember_path(const bsm::RecordFacts& f);
  std::string_view record_object();
  bool subject_passes(const CompiledSequence& seq) const;
  bool zone_passes(const SequenceSpec& spec);
  bool state_matches(const StateSpec& st);
  uint64_t instance_key(const SequenceSpec& spec) const;
  uint32_t subject_value(SetType type) const;
  bool expired(const Instance& inst) const;
  void advance(CompiledSequence& seq);
  void start(CompiledSequence& seq);
  MatchedRecord capture(uint32_t expanded, uint32_t spec_state);
  void report_state(const CompiledSequence& seq, const StateSpec& st);
  void complete(CompiledSequence& seq, uint64_t key, Instance& inst);
  uint64_t draw_timeout(const SequenceSpec& spec);
  void sweep();
  void debug(const std::string& text) {
    if (options.debug) sink.debug(text);
  }
};

bool Engine::Impl::state_accepts_event(const StateSpec& st, uint16_t event) const {
  if (st.event_any) return true;
  bool match;
  if (st.events.data->type() == SetType::AuditClass) {
    // The original gives up on events missing from audit_event, even under
    // `not`; so do we.
    if (!event_known[event]) return false;
    match = st.events.data->intersects_mask(class_mask_by_event[event]);
  } else {
    match = st.events.data->contains_number(event);
  }
  return match != st.events.negated;
}

EventIndex Engine::Impl::build_index(bool first_state) {
  std::vector<std::vector<uint32_t>> lists(65536);
  for (uint32_t i = 0; i < sequences.size(); ++i) {
    const auto& states = sequences[i].spec->states;
    if (!first_state && sequences[i].expanded_states < 2) continue;
    for (uint32_t e = 0; e < 65536; ++e) {
      bool any = false;
      if (first_state) {
        any = state_accepts_event(states[0], static_cast<uint16_t>(e));
      } else {
        for (size_t s = 0; s < states.size() && !any; ++s) {
          if (s == 0 && states[0].multiplier < 2) continue;  // only later copies follow
          any = state_accepts_event(states[s], static_cast<uint16_t>(e));
        }
      }
      if (any) lists[e].push_back(i);
    }
  }
  EventIndex index;
  index.offsets.resize(65537);
  for (uint32_t e = 0; e < 65536; ++e) {
    index.offsets[e] = static_cast<uint32_t>(index.items.size());
    index.items.insert(index.items.end(), lists[e].begin(), lists[e].end());
  }
  index.offsets[65536] = static_cast<uint32_t>(index.items.size());
  return index;
}

void Engine::Impl::build() {
  class_mask_by_event.assign(65536, 0);
  event_known.assign(65536, 0);
  for (const auto& entry : events.entries()) {
    // First entry per number wins, as getauevnum does.
    if (event_known[entry.number]) continue;
    event_known[entry.number] = 1;
    class_mask_by_event[entry.number] = entry.class_mask;
  }
  for (const auto& spec : specs) {
    CompiledSequence seq;
    seq.spec = &spec;
    for (const auto& st : spec.states) {
      seq.expanded_states += st.multiplier;
      uses_objects |= st.has_object;
    }
    has_timeouts |= spec.timeout != 0;
    sequences.push_back(std::move(seq));
  }
  starters = build_index(true);
  followers = build_index(false);
}

void Engine::Impl::remember_path(const bsm::RecordFacts& f) {
  if (!f.has_attr || f.path_count == 0 || f.attr_inode == 0) return;
  uint64_t key = f.attr_inode * 0x9e3779b97f4a7c15ull ^ f.attr_fsid;
  auto it = path_cache.find(key);
  if (it != path_cache.end()) {
    if (it->second != f.last_path) it->second.assign(f.last_path);
    return;
  }
  // Bounded: when full, forget an arbitrary entry rather than grow forever.
  if (path_cache.size() >= options.path_cache_limit && !path_cache.empty()) path_cache.erase(path_cache.begin());
  path_cache.emplace(key, std::string(f.last_path));
}

// The object of a record: its last path, or for fd-only events (fstat,
// fchmod...) the path last seen with the same fsid and inode.
std::string_view Engine::Impl::record_object() {
  if (object_resolved) return object;
  object_resolved = true;
  if (facts->path_count > 0) {
    object = facts->last_path;
  } else if (facts->has_attr && facts->attr_inode != 0) {
    uint64_t key = facts->attr_inode * 0x9e3779b97f4a7c15ull ^ facts->attr_fsid;
    auto it = path_cache.find(key);
    if (it != path_cache.end()) object = it->second;
  }
  return object;
}

uint32_t Engine::Impl::subject_value(SetType type) const {
  if (!facts->has_subject) return kNonAttributable;
  const auto& s = facts->subject;
  switch (type) {
    case SetType::Euid:
      return s.euid;
    case SetType::Ruid:
      return s.ruid;
    case SetType::Egid:
      return s.egid;
    case SetType::Rgid:
      return s.rgid;
    default:
      return s.auid;
  }
}

// Records without a subject token have no actor: only `subject any`
// sequences see them (as non-attributable).
bool Engine::Impl::subject_passes(const CompiledSequence& seq) const {
  const auto& spec = *seq.spec;
  if (spec.subject_any) return true;
  if (!facts->has_subject) return false;
  bool in = spec.subject.data->contains_number(subject_value(spec.subject_type));
  return in != spec.subject.negated;
}

bool Engine::Impl::zone_passes(const SequenceSpec& spec) {
  switch (spec.zone) {
    case ZoneKind::Any:
      return true;
    case ZoneKind::None:
      return facts->zonename.empty();
    case ZoneKind::Glob:
      if (facts->zonename.empty()) return false;
      zone_buffer.assign(facts->zonename);  // fnmatch wants a NUL-terminated string
      return fnmatch(spec.zone_glob.c_str(), zone_buffer.c_str(), 0) == 0;
  }
  return false;
}

bool Engine::Impl::state_matches(const StateSpec& st) {
  if (!state_accepts_event(st, facts->event)) return false;
  bool success = facts->return_errno == 0;
  if (st.status == StatusFilter::Success && !success) return false;
  if (st.status == StatusFilter::Failure && success) return false;
  if (!st.has_object) return true;
  std::string_view path = record_object();
  // A record without a path never matches an object option, even under `not`.
  if (path.empty()) return false;
  return st.object.data->matches_path(path) != st.object.negated;
}

uint64_t Engine::Impl::instance_key(const SequenceSpec& spec) const {
  switch (spec.scope) {
    case Scope::Global:
      return 0;
    case Scope::Process:
    case Scope::Thread:
      return facts->has_subject ? facts->subject.pid : 0;
    case Scope::Session:
      return facts->has_subject ? facts->subject.sid : 0;
    case Scope::Subject:
      break;
  }
  return subject_value(spec.subject_type);
}

bool Engine::Impl::expired(const Instance& inst) const {
  return inst.timeout != 0 && facts->seconds > inst.first_seconds && facts->seconds - inst.first_seconds > inst.timeout;
}

MatchedRecord Engine::Impl::capture(uint32_t expanded, uint32_t spec_state) {
  MatchedRecord m;
  m.state = expanded;
  m.spec_state = spec_state;
  m.seconds = facts->seconds;
  m.msec = facts->msec;
  m.event = facts->event;
  m.return_errno = facts->return_errno;
  if (facts->has_subject) {
    m.auid = facts->subject.auid;
    m.euid = facts->subject.euid;
    m.pid = facts->subject.pid;
    m.sid = facts->subject.sid;
  } else {
    m.auid = m.euid = kNonAttributable;
  }
  m.path.assign(record_object());
  if (options.keep_raw) m.raw.assign(facts->raw.begin(), facts->raw.end());
  return m;
}

void Engine::Impl::report_state(const CompiledSequence& seq, const StateSpec& st) {
  ++stats.state_matches;
  StateMatch match{seq.spec, &st, facts, record_object()};
  sink.state_matched(match);
}

void Engine::Impl::complete(CompiledSequence& seq, uint64_t key, Instance& inst) {
  Alert alert;
  alert.sequence = seq.spec;
  alert.subject_type = seq.spec->subject_type;
  alert.subject = subject_value(seq.spec->subject_type);
  alert.seconds = facts->seconds;
  alert.msec = facts->msec;
  alert.duration = facts->seconds >= inst.first_seconds ? facts->seconds - inst.first_seconds : 0;
  alert.records = std::move(inst.records);
  ++stats.alerts;
  sink.completed(alert);
  seq.completed_record = stats.records;
  seq.completed_key = key;
}

// Moves the record's instance of `seq` on, if its awaited state matches.
void Engine::Impl::advance(CompiledSequence& seq) {
  if (seq.instances.empty() || !subject_passes(seq) || !zone_passes(*seq.spec)) return;
  uint64_t key = instance_key(*seq.spec);
  auto it = seq.instances.find(key);
  if (it == seq.instances.end()) return;
  Instance& inst = it->second;
  if (expired(inst)) {
    ++stats.instances_expired;
    debug(seq.spec->label + ": instance " + std::to_string(key) + " timed out");
    seq.instances.erase(it);
    return;
  }
  const StateSpec& st = seq.spec->states[inst.spec_state];
  if (!state_matches(st)) return;
  report_state(seq, st);
  inst.records.push_back(capture(inst.expanded, inst.spec_state));
  ++inst.expanded;
  if (++inst.matched_in_state == st.multiplier) {
    ++inst.spec_state;
    inst.matched_in_state = 0;
  }
  if (inst.expanded == seq.expanded_states) {
    complete(seq, key, inst);
    seq.instances.erase(it);
  }
}

uint64_t Engine::Impl::draw_timeout(const SequenceSpec& spec) {
  if (spec.timeout_window == 0) return spec.timeout;
  // With probability timeout-prob% (65% when unset: what the original
  // meant, its default divided by zero), extend by up to the window.
  uint32_t probability = spec.timeout_probability ? spec.timeout_probability : 65;
  if (rng() % 100 >= probability) return spec.timeout;
  return spec.timeout + rng() % (spec.timeout_window + 1);
}

// A record matching a first state: alert at once for one-state sequences,
// otherwise start an instance unless one is live for this key (or one
// completed on this very record, as in the original).
void Engine::Impl::start(CompiledSequence& seq) {
  const SequenceSpec& spec = *seq.spec;
  if (!subject_passes(seq) || !zone_passes(spec) || !state_matches(spec.states[0])) return;
  report_state(seq, spec.states[0]);
  if (seq.expanded_states == 1) {
    Instance single;
    single.first_seconds = facts->seconds;
    single.records.push_back(capture(0, 0));
    complete(seq, instance_key(spec), single);
    return;
  }
  uint64_t key = instance_key(spec);
  if (seq.completed_record == stats.records && seq.completed_key == key) return;
  auto it = seq.instances.find(key);
  if (it != seq.instances.end()) {
    if (!expired(it->second)) return;
    ++stats.instances_expired;
    seq.instances.erase(it);
  }
  Instance inst;
  inst.first_seconds = facts->seconds;
  inst.timeout = draw_timeout(spec);
  inst.records.push_back(capture(0, 0));
  inst.expanded = 1;
  inst.matched_in_state = 1;
  if (spec.states[0].multiplier == 1) {
    inst.spec_state = 1;
    inst.matched_in_state = 0;
  }
  ++stats.instances_started;
  debug(spec.label + ": instance " + std::to_string(key) + " started");
  seq.instances.emplace(key, std::move(inst));
}

// Drops instances that timed out but saw no record since; keeps memory
// bounded by live instances.
void Engine::Impl::sweep() {
  for (auto& seq : sequences) {
    if (seq.spec->timeout == 0) continue;
    for (auto it = seq.instances.begin(); it != seq.instances.end();) {
      if (expired(it->second)) {
        ++stats.instances_expired;
        it = seq.instances.erase(it);
      } else {
        ++it;
      }
    }
  }
}

void Engine::Impl::process(const bsm::RecordFacts& f) {
  ++stats.records;
  facts = &f;
  object = {};
  object_resolved = false;
  if (uses_objects) remember_path(f);
  if (has_timeouts && f.seconds >= next_sweep) {
    sweep();
    next_sweep = f.seconds + kSweepInterval;
  }
  auto [fb, fe] = followers.at(f.event);
  for (auto p = fb; p != fe; ++p) advance(sequences[*p]);
  auto [sb, se] = starters.at(f.event);
  for (auto p = sb; p != se; ++p) start(sequences[*p]);
  facts = nullptr;
}

Engine::Engine(const Policy& policy, const tables::EventTable& events, EngineSink& sink, EngineOptions options)
    : impl_(std::make_unique<Impl>(events, sink, options)) {
  impl_->specs = policy.sequences;
  impl_->build();
}

Engine::~Engine() = default;

void Engine::process(const bsm::RecordFacts& facts) { impl_->process(facts); }

EngineStats Engine::stats() const {
  EngineStats s = impl_->stats;
  s.live_instances = 0;
  for (const auto& seq : impl_->sequences) s.live_instances += seq.instances.size();
  return s;
}

}  // namespace bullion::trace
