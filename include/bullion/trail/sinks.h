// The trail side as sinks (bullion/bsm/sink.h), so any record source can
// feed trails: SelectionSink keeps what preselection wants (and takes exec
// arguments or environment out as policy says), TrailSink writes into a
// TrailKeeper. bsmauditd puts them behind the live source.
#pragma once

#include <cstdint>
#include <vector>

#include "bullion/bsm/sink.h"
#include "bullion/trail/keeper.h"
#include "bullion/trail/selection.h"

namespace bullion::trail {

// Writes every record into the keeper's trails; idle() is the keeper's
// tick (write out, sync on the interval, check space). Stand-alone file
// tokens of the input are not written: a trail's own tokens mark its ends.
// Damage is counted and logged through the keeper's log function.
class TrailSink final : public bsm::RecordSink {
 public:
  TrailSink(TrailKeeper& keeper, LogFunction log) : keeper_(keeper), log_(std::move(log)) {}
  bsm::Flow record(const bsm::RecordView& record) override;
  void damage(const Error& error) override;
  void idle() override { keeper_.tick(); }
  uint64_t damaged() const { return damaged_; }

 private:
  TrailKeeper& keeper_;
  LogFunction log_;
  uint64_t damaged_ = 0;
};

// Passes on what the selector keeps, rewritten when policy says so. The
// selector can be replaced between records (audit -s, auditon).
class SelectionSink final : public bsm::FilterSink {
 public:
  SelectionSink(const TrailSelector& selector, bsm::RecordSink& next) : FilterSink(next), selector_(&selector) {}
  bsm::Flow record(const bsm::RecordView& record) override;
  void use(const TrailSelector& selector) { selector_ = &selector; }
  uint64_t kept() const { return kept_; }

 private:
  const TrailSelector* selector_;
  std::vector<uint8_t> rewritten_;
  uint64_t kept_ = 0;
};

}  // namespace bullion::trail
