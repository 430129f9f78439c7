// How much audit data a configuration will produce, from a sample trail
// (auditconf advise): records and bytes per day for every class and event
// in the sample, then, for an audit_control (or one with classes added),
// the daily volume, trails per day at filesz, the days expire-after keeps
// and the days until the trail directory falls under minfree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"
#include "bullion/trail/space.h"

namespace bullion::trail {

struct Volume {
  uint64_t records = 0;
  uint64_t bytes = 0;
  void add(const Volume& other) {
    records += other.records;
    bytes += other.bytes;
  }
};

// One event's records, split the way preselection splits them: by outcome
// (success unless the return token says otherwise) and by whether a user
// is attributable (flags) or not (naflags: no subject, or auid -1).
struct EventVolume {
  Volume success, failure, na_success, na_failure;
  Volume total() const;
};

class VolumeSample {
 public:
  // A whole record; an error (and nothing counted) when it does not decode.
  Status add(std::span<const uint8_t> record);
  const std::map<uint16_t, EventVolume>& events() const { return events_; }
  Volume total() const { return total_; }
  // Seconds from the first record's time to the last's.
  int64_t span_seconds() const { return records_seen_ ? last_ - first_ : 0; }
  int64_t first_seconds() const { return first_; }
  int64_t last_seconds() const { return last_; }

 private:
  std::map<uint16_t, EventVolume> events_;
  Volume total_;
  bool records_seen_ = false;
  int64_t first_ = 0, last_ = 0;
};

struct DailyRate {
  double records = 0;
  double bytes = 0;
};

struct ClassRate {
  std::string name, description;
  uint32_t mask = 0;
  DailyRate rate;
};

struct EventRate {
  uint16_t event = 0;
  std::string name;  // AUE_..., or the number when audit_event lacks it
  uint32_t class_mask = 0;
  DailyRate rate;
};

struct Projection {
  tables::PreselectMask flags, naflags;  // with --add applied
  DailyRate daily;                       // what those flags keep
  uint64_t filesz = 0;                   // as the daemon uses it (512K at least)
  std::optional<double> trails_per_day;  // none when filesz is 0
  std::optional<double> days_kept;       // none without expire-after
  // The trail directory's file system and its minfree floor.
  std::string dir;
  std::optional<SpaceInfo> space;
  int minfree = 0;
  std::optional<double> days_to_minfree;  // none: never (bounded, or no growth)
  bool bounded_by_expiry = false;         // expire-after keeps use below the floor
};

struct VolumeAdvice {
  double span_days = 0;
  Volume sample;
  std::vector<ClassRate> classes;  // every class of audit_class, by bytes, largest first
  std::vector<EventRate> events;   // every event in the sample, by bytes, largest first
  std::optional<Projection> projection;
};

// Rates from `sample` over `span_days` (the caller checks it is above 0).
VolumeAdvice rate_sample(const VolumeSample& sample, double span_days, const tables::EventTable& events,
                         const tables::ClassTable& classes);

// What `control` (plus the classes in `add`) would keep of that sample,
// projected on the file system `space` (of control's first dir).
Projection project(const VolumeSample& sample, double span_days, const tables::EventTable& events,
                   const tables::AuditControl& control, tables::PreselectMask add, std::optional<SpaceInfo> space);

}  // namespace bullion::trail
