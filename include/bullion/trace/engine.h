// The sequence engine: runs a Policy over records (as RecordFacts) and
// pushes what it finds into an EngineSink. It knows nothing about printing,
// logging or processes: alerts.h and triggers.h are sinks.
//
// Semantics follow real bsmtrace (see docs/bsmtrace.md): a record first
// advances the live instance it belongs to, then may start a new one; a
// one-state sequence alerts on every match; instances expire when record
// time passes first-match + timeout.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/trace/policy.h"

namespace bullion::trace {

// One record that matched one state of a sequence, kept for the alert.
struct MatchedRecord {
  uint32_t state = 0;       // index into the expanded states (multiplier copies)
  uint32_t spec_state = 0;  // index into SequenceSpec::states
  uint64_t seconds = 0;
  uint32_t msec = 0;
  uint16_t event = 0;
  uint8_t return_errno = 0;
  uint32_t auid = 0, euid = 0, pid = 0, sid = 0;
  std::string path;          // the object as matched (may come from the path cache)
  std::vector<uint8_t> raw;  // only when EngineOptions::keep_raw
};

struct Alert {
  const SequenceSpec* sequence = nullptr;
  SetType subject_type = SetType::Auid;
  uint32_t subject = 0;  // value of subject_type for this instance
  uint64_t seconds = 0;  // time of the completing record
  uint32_t msec = 0;
  uint64_t duration = 0;               // seconds since the first state matched
  std::vector<MatchedRecord> records;  // one per expanded state, in order
};

// Passed on every state match (first state included): triggers and -b.
struct StateMatch {
  const SequenceSpec* sequence = nullptr;
  const StateSpec* state = nullptr;
  const bsm::RecordFacts* facts = nullptr;
  std::string_view object;  // path as matched, empty when none
};

class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual void state_matched(const StateMatch& match) = 0;
  virtual void completed(const Alert& alert) = 0;
  virtual void debug(std::string_view /*message*/) {}
};

struct EngineOptions {
  bool keep_raw = false;     // copy raw records into alerts (-B)
  uint64_t random_seed = 0;  // timeout-window draws; fixed for tests
  size_t path_cache_limit = 1u << 16;
  bool debug = false;
};

struct EngineStats {
  uint64_t records = 0;
  uint64_t state_matches = 0;
  uint64_t alerts = 0;
  uint64_t instances_started = 0;
  uint64_t instances_expired = 0;
  uint64_t live_instances = 0;
};

class Engine {
 public:
  // `events` gives class masks for auditclass sets; it must outlive the engine.
  Engine(const Policy& policy, const tables::EventTable& events, EngineSink& sink, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void process(const bsm::RecordFacts& facts);
  EngineStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bullion::trace
