// The sequence engine. Speed comes from two indexes built once from the
// members of the policy's event sets (so start-up grows with the policy,
// not with sequences x 65,536 events): for every event number, the
// sequences whose first state can match it (starters) and those with a
// later state that can (followers). Sequences whose states accept events
// by `event any` or a `not` set are kept in a short list every record
// visits. A record finds its instance with one hash lookup by key.
#include "bullion/trace/engine.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <queue>
#include <random>
#include <unordered_map>

#include "trace/keys.h"

namespace bullion::trace {
namespace {

constexpr uint64_t kSweepInterval = 60;  // record seconds between expiry sweeps

struct Instance {
  uint32_t spec_state = 0;        // state being waited for
  uint32_t matched_in_state = 0;  // copies of it (multiplier) already matched
  uint32_t expanded = 0;          // expanded index of the state being waited for
  uint64_t first_seconds = 0;
  uint64_t timeout = 0;  // 0 = none; includes the timeout-window draw
  uint64_t serial = 0;   // tells a deadline entry which instance it was for
  std::vector<MatchedRecord> records;
};

// `count N within T`: the recent matches of the first state for one key.
struct Window {
  std::deque<MatchedRecord> records;
};

struct Suppression {
  uint64_t until = 0;  // record seconds
  uint64_t held = 0;   // alerts suppressed since the last one
};

// Keys are short byte strings (4 bytes for a subject); looked up by view
// so that a lookup allocates nothing.
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
};
template <class T>
using KeyMap = std::unordered_map<std::string, T, KeyHash, std::equal_to<>>;

struct CompiledSequence {
  KeyMap<Instance> instances;  // first: advance() tests empty() on every visit
  const SequenceSpec* spec = nullptr;
  uint32_t index = 0;
  uint32_t expanded_states = 0;  // copies of the positive states (multiplier or count)
  uint32_t positive_states = 0;  // states before a `state not`
  bool has_absent = false;
  std::vector<KeyField> key_fields;  // empty: one global instance
  bool key_has_zone = false;         // zone any / glob: instances are pinned to a zone, as in the original
  KeyMap<Window> windows;
  KeyMap<Suppression> suppressed;
  uint64_t completed_record = UINT64_MAX;  // record number that last completed an instance
  std::string completed_key;
  bool active = false;  // on Impl::active: has instances, windows or suppressions
  bool has_keys() const { return !instances.empty() || !windows.empty() || !suppressed.empty(); }
};

// What start() tests before it touches a sequence, kept apart and packed:
// most sequences a record visits are turned away here, and with 10,000
// sequences what a rejection costs is the memory it touches.
struct StartFilter {
  const SetData* subject = nullptr;  // nullptr: subject any
  StatusFilter status = StatusFilter::Any;
  bool subject_negated = false;
  bool zone_unset = true;
  SetType subject_type = SetType::Auid;
};

// Offsets per event number into one flat list, plus the sequences every
// event visits; both in sequence order.
struct EventIndex {
  std::vector<uint32_t> offsets;  // 65537
  std::vector<uint32_t> items;
  std::vector<uint32_t> every_event;
};

struct Deadline {
  uint64_t at = 0;  // record seconds after which the instance alerts
  uint32_t sequence = 0;
  uint64_t serial = 0;
  std::string key;
  bool operator>(const Deadline& other) const { return at > other.at; }
};

}  // namespace

struct Engine::Impl {
  Impl(const tables::EventTable& e, EngineSink& s, EngineOptions o)
      : events(e), sink(s), options(o), rng(o.random_seed), regex_limits(o.pcre_match_limit) {}

  const tables::EventTable& events;
  EngineSink& sink;
  EngineOptions options;
  std::mt19937_64 rng;
  RegexLimits regex_limits;
  std::vector<CompiledSequence> sequences;
  std::vector<StartFilter> start_filters;  // by sequence index
  std::vector<uint8_t> has_instances;      // by sequence index: followers skip the others untouched
  std::vector<SequenceSpec> specs;         // owned copy: alerts point into it
  EventIndex starters, followers;
  std::vector<uint32_t> class_mask_by_event;  // 65536; 0 for unknown events
  std::vector<uint8_t> event_known;           // 65536
  std::vector<uint16_t> known_events;         // ascending
  bool uses_objects = false;
  bool has_timeouts = false;
  std::unordered_map<uint64_t, std::string> path_cache;  // (fsid << 64-bit mix) -> path
  uint64_t next_sweep = 0;
  uint64_t next_serial = 1;
  EngineStats stats;
  std::string zone_buffer, glob_buffer;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;
  // Pattern sets' answers for the current record, so sets shared by many
  // sequences run (and count a failure) once per record.
  std::unordered_map<const SetData*, uint32_t> pattern_slot;
  std::vector<uint64_t> memo_record;
  std::vector<PathMatch> memo_result;
  std::map<const PatternInfo*, PatternFailure> failures;
  std::vector<uint32_t> active;     // sequences that keep something: what sweep() visits
  std::deque<std::string> sources;  // input names MatchedRecord::source points into

  // Per-record scratch.
  const bsm::RecordFacts* facts = nullptr;
  RecordOrigin origin;
  std::string_view object;
  bool object_resolved = false;
  bool object_not_evaluated = false;
  std::string key;

  void build();
  void build_index(EventIndex& index, bool first_state);
  bool add_state_events(const StateSpec& st, std::vector<uint16_t>& out);
  bool state_accepts_event(const StateSpec& st, uint16_t event) const;
  template <class Fn>
  void visit(const EventIndex& index, uint16_t event, Fn&& fn);
  void process(const bsm::RecordFacts& f, const RecordOrigin& o);
  void remember_path(const bsm::RecordFacts& f);
  std::string_view record_object();
  KeySource current_source() {
    return {facts->has_subject, &facts->subject, facts->text, record_object(), facts->zonename};
  }
  bool passes_start_filter(const StartFilter& f) const;
  bool subject_in(const StartFilter& f) const;
  void note_instances(const CompiledSequence& seq) { has_instances[seq.index] = !seq.instances.empty(); }
  bool zone_passes(const SequenceSpec& spec);
  bool status_and_event_match(const StateSpec& st, bool event_known_accepted) const;
  bool state_matches(const StateSpec& st);
  bool object_passes(const StateSpec& st);
  bool object_matches(const SetRef& set, std::string_view path);
  void note_failure(const PatternInfo* pattern);
  const std::string& instance_key(const CompiledSequence& seq);
  uint32_t subject_value(SetType type) const;
  bool expired(const Instance& inst) const;
  bool has_room(CompiledSequence& seq);
  void mark_active(CompiledSequence& seq) {
    if (!seq.active) active.push_back(seq.index);
    seq.active = true;
  }
  void advance(CompiledSequence& seq);
  void start(CompiledSequence& seq, bool listed);
  bool fill_window(CompiledSequence& seq, std::vector<MatchedRecord>& records);
  void begin_instance(CompiledSequence& seq, std::vector<MatchedRecord> records);
  void after_positive_states(CompiledSequence& seq, KeyMap<Instance>::iterator it);
  MatchedRecord capture(uint32_t expanded, uint32_t spec_state);
  void report_state(const CompiledSequence& seq, const StateSpec& st);
  void complete(CompiledSequence& seq, const std::string& key, Instance& inst, bool deadline);
  bool suppress(CompiledSequence& seq, Alert& alert);
  void fire_deadlines(uint64_t now);
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

// The events a state can match, from its set's members. Returns false when
// it is not a short list (event any, or a `not` set): such states are
// checked on every record instead.
bool Engine::Impl::add_state_events(const StateSpec& st, std::vector<uint16_t>& out) {
  if (st.event_any || st.events.negated) return false;
  const SetData& set = *st.events.data;
  if (set.type() == SetType::AuditClass) {
    for (uint16_t e : known_events)
      if (set.intersects_mask(class_mask_by_event[e])) out.push_back(e);
  } else {
    for (uint32_t n : set.numbers())
      if (n <= 0xffff) out.push_back(static_cast<uint16_t>(n));
  }
  return true;
}

// Counting sort of (event, sequence) pairs into offsets + items: linear in
// the number of pairs, which is the total size of the sequences' sets.
void Engine::Impl::build_index(EventIndex& index, bool first_state) {
  std::vector<std::pair<uint16_t, uint32_t>> pairs;
  std::vector<uint32_t> stamp(65536, UINT32_MAX);  // last sequence listed per event: no duplicates
  std::vector<uint16_t> events_of_state;
  for (uint32_t i = 0; i < sequences.size(); ++i) {
    const auto& seq = sequences[i];
    const auto& states = seq.spec->states;
    bool every = false;
    events_of_state.clear();
    for (size_t s = 0; s < states.size() && !every; ++s) {
      if (first_state ? s > 0 : (s == 0 && seq.spec->states[0].multiplier < 2)) continue;
      every = !add_state_events(states[s], events_of_state);
    }
    if (!first_state && seq.expanded_states < 2 && !seq.has_absent) continue;
    if (every) {
      index.every_event.push_back(i);
      continue;
    }
    for (uint16_t e : events_of_state)
      if (stamp[e] != i) {
        stamp[e] = i;
        pairs.emplace_back(e, i);
      }
  }
  index.offsets.assign(65537, 0);
  for (const auto& [e, i] : pairs) ++index.offsets[e + 1u];
  for (size_t e = 0; e < 65536; ++e) index.offsets[e + 1] += index.offsets[e];
  index.items.resize(pairs.size());
  std::vector<uint32_t> fill(index.offsets.begin(), index.offsets.end() - 1);
  for (const auto& [e, i] : pairs) index.items[fill[e]++] = i;  // pairs are in sequence order
  stats.index_entries += pairs.size();
  stats.unindexed_sequences += index.every_event.size();
}

void Engine::Impl::build() {
  class_mask_by_event.assign(65536, 0);
  event_known.assign(65536, 0);
  for (const auto& entry : events.entries()) {
    // First entry per number wins, as getauevnum does.
    if (event_known[entry.number]) continue;
    event_known[entry.number] = 1;
    class_mask_by_event[entry.number] = entry.class_mask;
    known_events.push_back(entry.number);
  }
  std::sort(known_events.begin(), known_events.end());
  for (const auto& spec : specs) {
    CompiledSequence seq;
    seq.spec = &spec;
    seq.index = static_cast<uint32_t>(sequences.size());
    for (const auto& st : spec.states) {
      uses_objects |= st.has_object;
      if (st.has_object && st.object.data->type() == SetType::Pcre && !pattern_slot.count(st.object.data.get()))
        pattern_slot.emplace(st.object.data.get(), static_cast<uint32_t>(pattern_slot.size()));
      if (st.absent) {
        seq.has_absent = true;
        continue;
      }
      ++seq.positive_states;
      seq.expanded_states += st.count ? st.count : st.multiplier;
    }
    if (!spec.group_by.empty()) {
      seq.key_fields = spec.group_by;
    } else {
      switch (spec.scope) {
        case Scope::Global:
          break;
        case Scope::Process:
        case Scope::Thread:
          seq.key_fields = {KeyField::Pid};
          break;
        case Scope::Session:
          seq.key_fields = {KeyField::Session};
          break;
        case Scope::Subject:
          seq.key_fields = {KeyField::Subject};
      }
    }
    seq.key_has_zone = spec.zone == ZoneKind::Any || spec.zone == ZoneKind::Glob;
    start_filters.push_back(StartFilter{spec.subject_any ? nullptr : spec.subject.data.get(), spec.states[0].status,
                                        spec.subject.negated, spec.zone == ZoneKind::Unset, spec.subject_type});
    has_timeouts |= spec.timeout != 0 || spec.once;
    for (const auto& st : spec.states) has_timeouts |= st.count != 0;
    sequences.push_back(std::move(seq));
  }
  has_instances.assign(sequences.size(), 0);
  memo_record.assign(pattern_slot.size(), UINT64_MAX);
  memo_result.assign(pattern_slot.size(), PathMatch::No);
  build_index(starters, true);
  build_index(followers, false);
}

// Calls fn(sequence index, listed) for the sequences listed under `event` and
// those every event visits, merged in sequence order (the order alerts come
// out in). `listed`: the index already says a state accepts this event.
template <class Fn>
void Engine::Impl::visit(const EventIndex& index, uint16_t event, Fn&& fn) {
  const uint32_t* a = index.items.data() + index.offsets[event];
  const uint32_t* a_end = index.items.data() + index.offsets[event + 1u];
  const uint32_t* b = index.every_event.data();
  const uint32_t* b_end = b + index.every_event.size();
  while (a != a_end || b != b_end) {
    if (b == b_end || (a != a_end && *a < *b))
      fn(*a++, true);
    else
      fn(*b++, false);
  }
}

void Engine::Impl::remember_path(const bsm::RecordFacts& f) {
  if (!f.has_attr || f.path_count == 0 || f.attr_inode == 0) return;
  uint64_t k = f.attr_inode * 0x9e3779b97f4a7c15ull ^ f.attr_fsid;
  auto it = path_cache.find(k);
  if (it != path_cache.end()) {
    if (it->second != f.last_path) it->second.assign(f.last_path);
    return;
  }
  // Bounded: when full, forget an arbitrary entry rather than grow forever.
  if (path_cache.size() >= options.path_cache_limit && !path_cache.empty()) path_cache.erase(path_cache.begin());
  path_cache.emplace(k, std::string(f.last_path));
}

// The object of a record: its last path, or for fd-only events (fstat,
// fchmod...) the path last seen with the same fsid and inode.
std::string_view Engine::Impl::record_object() {
  if (object_resolved) return object;
  object_resolved = true;
  if (facts->path_count > 0) {
    object = facts->last_path;
  } else if (facts->has_attr && facts->attr_inode != 0) {
    uint64_t k = facts->attr_inode * 0x9e3779b97f4a7c15ull ^ facts->attr_fsid;
    auto it = path_cache.find(k);
    if (it != path_cache.end()) object = it->second;
  }
  return object;
}

uint32_t Engine::Impl::subject_value(SetType type) const {
  KeySource k{facts->has_subject, &facts->subject, {}, {}, {}};
  return subject_id(k, KeyField::Subject, type);
}

// Records without a subject token have no actor: only `subject any`
// sequences see them (as non-attributable).
bool Engine::Impl::subject_in(const StartFilter& f) const {
  if (!f.subject) return true;
  if (!facts->has_subject) return false;
  return f.subject->contains_number(subject_value(f.subject_type)) != f.subject_negated;
}

bool Engine::Impl::passes_start_filter(const StartFilter& f) const {
  const bool success = facts->return_errno == 0;
  if ((f.status == StatusFilter::Success && !success) || (f.status == StatusFilter::Failure && success)) return false;
  return subject_in(f);
}

// As the original: `none` is the host only, `any` and a glob are zones
// only (never the host); globs match with FNM_PATHNAME.
bool Engine::Impl::zone_passes(const SequenceSpec& spec) {
  switch (spec.zone) {
    case ZoneKind::Unset:
      return true;
    case ZoneKind::None:
      return facts->zonename.empty();
    case ZoneKind::Any:
      return !facts->zonename.empty();
    case ZoneKind::Glob:
      if (facts->zonename.empty()) return false;
      zone_buffer.assign(facts->zonename);  // fnmatch wants a NUL-terminated string
      return fnmatch(spec.zone_glob.c_str(), zone_buffer.c_str(), FNM_PATHNAME) == 0;
  }
  return false;
}

void Engine::Impl::note_failure(const PatternInfo* pattern) {
  ++stats.patterns_not_evaluated;
  if (!pattern) return;
  auto [it, first] = failures.try_emplace(pattern);
  PatternFailure& f = it->second;
  ++f.count;
  if (!first) return;
  f.pattern = pattern;
  f.first_source.assign(origin.source);
  f.first_offset = origin.offset;
  sink.pattern_not_evaluated(f, options.pattern_failure_matches);
}

bool Engine::Impl::object_matches(const SetRef& set, std::string_view path) {
  const SetData* data = set.data.get();
  PathMatch result;
  if (data->type() != SetType::Pcre) {
    result = data->match_path(path, regex_limits);
  } else {
    const uint32_t slot = pattern_slot.at(data);
    if (memo_record[slot] == stats.records) {
      result = memo_result[slot];
    } else {
      const PatternInfo* failed = nullptr;
      result = data->match_path(path, regex_limits, &failed);
      memo_record[slot] = stats.records;
      memo_result[slot] = result;
      if (result == PathMatch::NotEvaluated) note_failure(failed);
    }
  }
  if (result == PathMatch::NotEvaluated) {
    // Unknown either way, so `not` does not turn it around.
    object_not_evaluated = true;
    return options.pattern_failure_matches;
  }
  return (result == PathMatch::Yes) != set.negated;
}

// Status and event: cheap, and free of side effects.
bool Engine::Impl::status_and_event_match(const StateSpec& st, bool event_known_accepted) const {
  bool success = facts->return_errno == 0;
  if (st.status == StatusFilter::Success && !success) return false;
  if (st.status == StatusFilter::Failure && success) return false;
  return event_known_accepted || state_accepts_event(st, facts->event);
}

bool Engine::Impl::state_matches(const StateSpec& st) { return status_and_event_match(st, false) && object_passes(st); }

// The object test last: a pattern that fails to run is counted only for
// records that every other test of the state already let through.
bool Engine::Impl::object_passes(const StateSpec& st) {
  if (!st.has_object) return true;
  std::string_view path = record_object();
  // A record without a path never matches an object option, even under `not`.
  if (path.empty()) return false;
  return object_matches(st.object, path);
}

const std::string& Engine::Impl::instance_key(const CompiledSequence& seq) {
  key.clear();
  const KeySource k = current_source();
  for (KeyField f : seq.key_fields) append_key_field(key, f, k, seq.spec->subject_type);
  if (seq.key_has_zone) append_string(key, facts->zonename);
  return key;
}

bool Engine::Impl::expired(const Instance& inst) const {
  return inst.timeout != 0 && facts->seconds > inst.first_seconds && facts->seconds - inst.first_seconds > inst.timeout;
}

bool Engine::Impl::has_room(CompiledSequence& seq) {
  if (seq.instances.size() + seq.windows.size() + seq.suppressed.size() < options.max_keys_per_sequence) {
    mark_active(seq);  // the caller is about to keep a key
    return true;
  }
  ++stats.refused;
  return false;
}

MatchedRecord Engine::Impl::capture(uint32_t expanded, uint32_t spec_state) {
  MatchedRecord m;
  m.state = expanded;
  m.spec_state = spec_state;
  m.seconds = facts->seconds;
  m.msec = facts->msec;
  m.event = facts->event;
  m.return_errno = facts->return_errno;
  m.return_value = facts->return_value;
  m.has_subject = facts->has_subject;
  if (facts->has_subject) {
    m.subject = facts->subject;
  } else {
    m.subject.auid = m.subject.euid = m.subject.ruid = kNonAttributable;
    m.subject.egid = m.subject.rgid = kNonAttributable;
  }
  m.host_addr_type = facts->host_addr_type;
  std::memcpy(m.host_addr, facts->host_addr, sizeof m.host_addr);
  m.path.assign(record_object());
  m.text.assign(facts->text);
  m.zone.assign(facts->zonename);
  bsm::for_each_string(facts->exec_args, facts->exec_argc, [&](std::string_view a) { m.exec_args.emplace_back(a); });
  if (facts->has_socket && facts->socket.addr_type != 0) {
    m.has_socket = true;
    m.socket_port = facts->socket.port;
    m.socket_addr_type = facts->socket.addr_type;
    std::memcpy(m.socket_addr, facts->socket.addr, sizeof m.socket_addr);
  }
  if (origin.known) {
    if (sources.empty() || sources.back() != origin.source) sources.emplace_back(origin.source);
    m.source = sources.back();
    m.offset = origin.offset;
    m.has_offset = true;
  }
  m.pattern_not_evaluated = object_not_evaluated;
  if (options.keep_raw) m.raw.assign(facts->raw.begin(), facts->raw.end());
  return m;
}

void Engine::Impl::report_state(const CompiledSequence& seq, const StateSpec& st) {
  ++stats.state_matches;
  StateMatch match{seq.spec, &st, facts, record_object()};
  sink.state_matched(match);
}

// `once per KEYS per T`: the first alert for a key goes out, the ones after
// it within T are counted; the next alert says how many were held.
bool Engine::Impl::suppress(CompiledSequence& seq, Alert& alert) {
  const SequenceSpec& spec = *seq.spec;
  if (!spec.once || alert.records.empty()) return false;
  std::string once_key;
  const KeySource k = key_source(alert.records.front());
  const auto& fields = spec.once_by.empty() ? seq.key_fields : spec.once_by;
  for (KeyField f : fields) append_key_field(once_key, f, k, spec.subject_type);
  if (spec.once_by.empty() && seq.key_has_zone) append_string(once_key, k.zone);
  auto it = seq.suppressed.find(once_key);
  if (it != seq.suppressed.end() && alert.seconds <= it->second.until) {
    ++it->second.held;
    ++stats.suppressed;
    return true;
  }
  if (it == seq.suppressed.end()) {
    if (!has_room(seq)) return false;  // no room to remember: let it out
    it = seq.suppressed.emplace(std::move(once_key), Suppression{}).first;
  }
  alert.suppressed_before = it->second.held;
  it->second = Suppression{alert.seconds + spec.once_period, 0};
  return false;
}

void Engine::Impl::complete(CompiledSequence& seq, const std::string& instance_key_bytes, Instance& inst,
                            bool deadline) {
  Alert alert;
  alert.sequence = seq.spec;
  alert.subject_type = seq.spec->subject_type;
  alert.records = std::move(inst.records);
  const MatchedRecord& last = alert.records.back();
  alert.subject = subject_id(key_source(last), KeyField::Subject, alert.subject_type);
  if (deadline) {
    alert.deadline = true;
    alert.seconds = inst.first_seconds + inst.timeout;
    alert.msec = 0;
  } else {
    alert.seconds = facts->seconds;
    alert.msec = facts->msec;
  }
  alert.duration = alert.seconds >= inst.first_seconds ? alert.seconds - inst.first_seconds : 0;
  const KeySource k = key_source(alert.records.front());
  for (KeyField f : seq.key_fields) alert.group.push_back({f, key_field_text(f, k, alert.subject_type)});
  if (seq.key_has_zone) alert.group.push_back({KeyField::Zone, std::string(k.zone)});
  alert.id = alert_id(alert);
  seq.completed_record = stats.records;
  seq.completed_key = instance_key_bytes;
  if (suppress(seq, alert)) return;
  ++stats.alerts;
  sink.completed(alert);
}

// After the last positive state: alert, or (with a `state not`) wait for
// the deadline.
void Engine::Impl::after_positive_states(CompiledSequence& seq, KeyMap<Instance>::iterator it) {
  Instance& inst = it->second;
  if (!seq.has_absent) {
    complete(seq, it->first, inst, false);
    seq.instances.erase(it);
    return;
  }
  inst.spec_state = seq.positive_states;  // the `state not`
  deadlines.push(Deadline{inst.first_seconds + inst.timeout, seq.index, inst.serial, it->first});
}

// Moves the record's instance of `seq` on, if its awaited state matches.
// The subject passed (the start filter holds the sequence's subject set).
void Engine::Impl::advance(CompiledSequence& seq) {
  if (seq.instances.empty() || !zone_passes(*seq.spec)) return;
  auto it = seq.instances.find(std::string_view(instance_key(seq)));
  if (it == seq.instances.end()) return;
  Instance& inst = it->second;
  if (expired(inst)) {
    ++stats.instances_expired;
    if (options.debug) debug(seq.spec->label + ": instance timed out");
    seq.instances.erase(it);
    return;
  }
  const StateSpec& st = seq.spec->states[inst.spec_state];
  if (!state_matches(st)) return;
  if (st.absent) {  // what must not happen did: no alert
    ++stats.absent_seen;
    seq.instances.erase(it);
    return;
  }
  report_state(seq, st);
  inst.records.push_back(capture(inst.expanded, inst.spec_state));
  ++inst.expanded;
  if (++inst.matched_in_state == st.multiplier) {
    ++inst.spec_state;
    inst.matched_in_state = 0;
  }
  if (inst.expanded == seq.expanded_states) after_positive_states(seq, it);
}

uint64_t Engine::Impl::draw_timeout(const SequenceSpec& spec) {
  if (spec.timeout_window == 0) return spec.timeout;
  // With probability timeout-prob% (65% when unset: what the original
  // meant, its default divided by zero), extend by up to the window.
  uint32_t probability = spec.timeout_probability ? spec.timeout_probability : 65;
  if (rng() % 100 >= probability) return spec.timeout;
  return spec.timeout + rng() % (spec.timeout_window + 1);
}

// `count N within T`: keeps the key's recent matches; true (with them in
// `records`) once N fall within T of each other.
bool Engine::Impl::fill_window(CompiledSequence& seq, std::vector<MatchedRecord>& records) {
  const StateSpec& first = seq.spec->states[0];
  auto it = seq.windows.find(std::string_view(key));
  if (it == seq.windows.end()) {
    if (!has_room(seq)) return false;
    it = seq.windows.emplace(key, Window{}).first;
  }
  auto& window = it->second.records;
  const uint64_t now_ms = facts->seconds * 1000 + facts->msec;
  const uint64_t span_ms = first.count_window * 1000;
  while (!window.empty() && window.front().seconds * 1000 + window.front().msec + span_ms < now_ms) window.pop_front();
  window.push_back(capture(0, 0));
  if (window.size() < first.count) return false;
  records.assign(std::make_move_iterator(window.begin()), std::make_move_iterator(window.end()));
  seq.windows.erase(it);
  for (uint32_t i = 0; i < records.size(); ++i) records[i].state = i;
  return true;
}

void Engine::Impl::begin_instance(CompiledSequence& seq, std::vector<MatchedRecord> records) {
  const SequenceSpec& spec = *seq.spec;
  if (!has_room(seq)) return;
  Instance inst;
  inst.first_seconds = records.front().seconds;
  inst.timeout = draw_timeout(spec);
  inst.serial = next_serial++;
  inst.expanded = static_cast<uint32_t>(records.size());
  inst.records = std::move(records);
  const StateSpec& first = spec.states[0];
  if (first.count || first.multiplier == inst.expanded) {
    inst.spec_state = 1;
    inst.matched_in_state = 0;
  } else {
    inst.matched_in_state = inst.expanded;
  }
  ++stats.instances_started;
  if (options.debug) debug(spec.label + ": instance started");
  auto it = seq.instances.emplace(key, std::move(inst)).first;
  if (it->second.expanded == seq.expanded_states) after_positive_states(seq, it);
}

// A record matching a first state: alert at once for one-state sequences,
// otherwise start an instance unless one is live for this key (or one
// completed on this very record, as in the original).
void Engine::Impl::start(CompiledSequence& seq, bool listed) {
  const SequenceSpec& spec = *seq.spec;
  const StateSpec& first = spec.states[0];  // status and subject: passed the start filter
  if (!(listed || state_accepts_event(first, facts->event)) || !zone_passes(spec) || !object_passes(first)) return;
  report_state(seq, spec.states[0]);
  instance_key(seq);
  const bool single = seq.expanded_states == 1 && !seq.has_absent;
  if (!single) {
    if (seq.completed_record == stats.records && seq.completed_key == key) return;
    auto it = seq.instances.find(std::string_view(key));
    if (it != seq.instances.end()) {
      if (!expired(it->second)) return;
      ++stats.instances_expired;
      seq.instances.erase(it);
    }
  }
  std::vector<MatchedRecord> records;
  if (spec.states[0].count) {
    if (!fill_window(seq, records)) return;
  } else {
    records.push_back(capture(0, 0));
  }
  if (single || (records.size() == seq.expanded_states && !seq.has_absent)) {
    Instance done;
    done.first_seconds = records.front().seconds;
    done.records = std::move(records);
    const std::string done_key = key;
    complete(seq, done_key, done, false);
    return;
  }
  begin_instance(seq, std::move(records));
}

// `state not` instances whose time ran out without it: they alert, dated
// at their deadline.
void Engine::Impl::fire_deadlines(uint64_t now) {
  while (!deadlines.empty() && deadlines.top().at < now) {
    Deadline d = deadlines.top();
    deadlines.pop();
    CompiledSequence& seq = sequences[d.sequence];
    auto it = seq.instances.find(std::string_view(d.key));
    if (it == seq.instances.end() || it->second.serial != d.serial) continue;  // already ended
    complete(seq, d.key, it->second, true);
    seq.instances.erase(it);
    note_instances(seq);
  }
}

// Drops instances that timed out but saw no record since, stale count
// windows and passed suppressions; keeps memory bounded by live keys.
void Engine::Impl::sweep() {
  const uint64_t now = facts->seconds;
  for (uint32_t index : active) {
    CompiledSequence& seq = sequences[index];
    if (seq.spec->timeout != 0) {
      for (auto it = seq.instances.begin(); it != seq.instances.end();) {
        const bool waiting_absent = seq.has_absent && it->second.spec_state == seq.positive_states;
        if (!waiting_absent && expired(it->second)) {
          ++stats.instances_expired;
          it = seq.instances.erase(it);
        } else {
          ++it;
        }
      }
    }
    if (const uint64_t window = seq.spec->states[0].count_window) {
      std::erase_if(seq.windows, [&](const auto& w) { return w.second.records.back().seconds + window < now; });
    }
    std::erase_if(seq.suppressed, [&](const auto& s) { return s.second.until < now && s.second.held == 0; });
    seq.active = seq.has_keys();
    note_instances(seq);
  }
  std::erase_if(active, [&](uint32_t index) { return !sequences[index].active; });
}

void Engine::Impl::process(const bsm::RecordFacts& f, const RecordOrigin& o) {
  ++stats.records;
  facts = &f;
  origin = o;
  object = {};
  object_resolved = false;
  object_not_evaluated = false;
  if (uses_objects) remember_path(f);
  if (!deadlines.empty()) fire_deadlines(f.seconds);
  if (has_timeouts && f.seconds >= next_sweep) {
    sweep();
    next_sweep = f.seconds + kSweepInterval;
  }
  visit(followers, f.event, [&](uint32_t i, bool) {
    if (!has_instances[i] || !subject_in(start_filters[i])) return;
    advance(sequences[i]);
    note_instances(sequences[i]);
  });
  visit(starters, f.event, [&](uint32_t i, bool listed) {
    if (!passes_start_filter(start_filters[i])) return;
    start(sequences[i], listed);
    note_instances(sequences[i]);
  });
  facts = nullptr;
}

Engine::Engine(const Policy& policy, const tables::EventTable& events, EngineSink& sink, EngineOptions options)
    : impl_(std::make_unique<Impl>(events, sink, options)) {
  impl_->specs = policy.sequences;
  impl_->build();
}

Engine::~Engine() = default;

void Engine::process(const bsm::RecordFacts& facts, const RecordOrigin& origin) { impl_->process(facts, origin); }

void Engine::finish() {
  impl_->stats.absent_undecided = 0;
  for (const auto& seq : impl_->sequences)
    if (seq.has_absent)
      for (const auto& [k, inst] : seq.instances)
        if (inst.spec_state == seq.positive_states) ++impl_->stats.absent_undecided;
}

EngineStats Engine::stats() const {
  EngineStats s = impl_->stats;
  s.live_instances = 0;
  for (const auto& seq : impl_->sequences) s.live_instances += seq.instances.size();
  return s;
}

std::vector<PatternFailure> Engine::pattern_failures() const {
  std::vector<PatternFailure> out;
  for (const auto& [pattern, failure] : impl_->failures) out.push_back(failure);
  return out;
}

}  // namespace bullion::trace
