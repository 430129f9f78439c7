// The sequence engine: runs a Policy over records (as RecordFacts) and
// pushes what it finds into an EngineSink. It knows nothing about printing,
// logging or processes: alerts.h and triggers.h are sinks.
//
// Semantics follow real bsmtrace (see docs/bsmtrace.md): a record first
// advances the live instance it belongs to, then may start a new one; a
// one-state sequence alerts on every match; instances expire when record
// time passes first-match + timeout. The extensions (group-by, count ...
// within, state not, once per) only act where a policy uses them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/trace/policy.h"

namespace bullion::trace {

// Where a record came from: the input's name and the byte offset of its
// first byte there (bsm::RecordView's source and offset), so an alert can
// point praudit at it.
struct RecordOrigin {
  std::string_view source;
  uint64_t offset = 0;
  bool known = false;
};

// One record that matched one state of a sequence, kept for the alert.
struct MatchedRecord {
  uint32_t state = 0;       // index into the expanded states (multiplier copies)
  uint32_t spec_state = 0;  // index into SequenceSpec::states
  uint64_t seconds = 0;
  uint32_t msec = 0;
  uint16_t event = 0;
  uint8_t return_errno = 0;
  uint64_t return_value = 0;
  bool has_subject = false;
  bsm::Subject subject;        // ids, pid, session, terminal port and address
  uint8_t host_addr_type = 0;  // 4 or 16 when the header names the host (header_ex)
  uint8_t host_addr[16] = {};
  std::string path;  // the object as matched (may come from the path cache)
  std::string text;  // first text token
  std::string zone;
  std::vector<std::string> exec_args;
  bool has_socket = false;
  uint16_t socket_port = 0;
  uint32_t socket_addr_type = 0;  // 4, 16, 0 for none/unix
  uint8_t socket_addr[16] = {};
  std::string_view source;  // input name (kept by the engine for its lifetime)
  uint64_t offset = 0;
  bool has_offset = false;
  bool pattern_not_evaluated = false;  // the object test was a pattern PCRE2 gave up on
  std::vector<uint8_t> raw;            // only when EngineOptions::keep_raw
};

// A part of the instance key, as text for the alert ("10.0.0.1", "1001").
struct GroupValue {
  KeyField field = KeyField::Subject;
  std::string text;
};

struct Alert {
  const SequenceSpec* sequence = nullptr;
  SetType subject_type = SetType::Auid;
  uint32_t subject = 0;  // value of subject_type for the completing record
  uint64_t seconds = 0;  // time of the completing record (or of the deadline)
  uint32_t msec = 0;
  uint64_t duration = 0;               // seconds since the first state matched
  std::vector<MatchedRecord> records;  // one per expanded state, in order
  uint64_t id = 0;                     // stable: the same trail gives the same ids
  std::vector<GroupValue> group;       // what the instance was kept per
  bool deadline = false;               // raised because a `state not` did not happen in time
  uint64_t suppressed_before = 0;      // repeats suppressed (`once per`) since the last alert for this key
};

// Passed on every state match (first state included): triggers and -b.
struct StateMatch {
  const SequenceSpec* sequence = nullptr;
  const StateSpec* state = nullptr;
  const bsm::RecordFacts* facts = nullptr;
  std::string_view object;  // path as matched, empty when none
};

// A pattern that PCRE2 gave up on, and how often.
struct PatternFailure {
  const PatternInfo* pattern = nullptr;
  uint64_t count = 0;
  std::string first_source;  // where it first happened
  uint64_t first_offset = 0;
};

class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual void state_matched(const StateMatch& match) = 0;
  virtual void completed(const Alert& alert) = 0;
  // Once per pattern, the first time PCRE2 gives up on it.
  virtual void pattern_not_evaluated(const PatternFailure& /*failure*/, bool /*taken_as_match*/) {}
  virtual void debug(std::string_view /*message*/) {}
};

struct EngineOptions {
  bool keep_raw = false;     // copy raw records into alerts (-B)
  uint64_t random_seed = 0;  // timeout-window draws; fixed for tests
  size_t path_cache_limit = 1u << 16;
  bool debug = false;
  // A record whose object test is a pattern PCRE2 gave up on counts as a
  // match (an evasion attempt alerts instead of hiding); false: as no match.
  bool pattern_failure_matches = true;
  uint32_t pcre_match_limit = RegexLimits::kDefaultMatchLimit;
  // Live instances, count windows and suppression entries each sequence may
  // keep; past it new ones are refused and counted (memory stays bounded).
  size_t max_keys_per_sequence = 1'000'000;
};

struct EngineStats {
  uint64_t records = 0;
  uint64_t state_matches = 0;
  uint64_t alerts = 0;
  uint64_t instances_started = 0;
  uint64_t instances_expired = 0;
  uint64_t live_instances = 0;
  uint64_t patterns_not_evaluated = 0;  // records whose object a pattern could not decide
  uint64_t absent_seen = 0;             // `state not` instances ended because it happened
  uint64_t absent_undecided = 0;        // still in their window when finish() was called
  uint64_t suppressed = 0;              // alerts held back by `once per`
  uint64_t refused = 0;                 // instances/windows not kept: max_keys_per_sequence
  uint64_t index_entries = 0;           // (event, sequence) pairs in the event index
  uint64_t unindexed_sequences = 0;     // sequences every record visits (event any, `not` sets)
};

class Engine {
 public:
  // `events` gives class masks for auditclass sets; it must outlive the engine.
  Engine(const Policy& policy, const tables::EventTable& events, EngineSink& sink, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void process(const bsm::RecordFacts& facts, const RecordOrigin& origin = {});
  // End of input: counts `state not` instances whose window is still open
  // (no alert: the rest of their window was never seen).
  void finish();
  EngineStats stats() const;
  std::vector<PatternFailure> pattern_failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bullion::trace
