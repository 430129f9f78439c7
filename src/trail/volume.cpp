#include "bullion/trail/volume.h"

#include <algorithm>

#include "bullion/bsm/facts.h"

namespace bullion::trail {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr uint32_t kUnsetAuid = 0xffffffffu;  // AU_DEFAUDITID

DailyRate per_day(const Volume& volume, double span_days) {
  return DailyRate{static_cast<double>(volume.records) / span_days, static_cast<double>(volume.bytes) / span_days};
}

uint32_t class_mask_of(const tables::EventTable& events, uint16_t event) {
  const tables::EventEntry* entry = events.find(event);
  return entry ? entry->class_mask : 0;
}

// What preselection with these masks keeps of one event's records.
Volume kept(const EventVolume& volume, uint32_t class_mask, tables::PreselectMask flags,
            tables::PreselectMask naflags) {
  Volume total;
  if (class_mask & flags.success) total.add(volume.success);
  if (class_mask & flags.failure) total.add(volume.failure);
  if (class_mask & naflags.success) total.add(volume.na_success);
  if (class_mask & naflags.failure) total.add(volume.na_failure);
  return total;
}

tables::PreselectMask merged(tables::PreselectMask a, tables::PreselectMask b) {
  return tables::PreselectMask{a.success | b.success, a.failure | b.failure};
}

// expire-after keeps trails until the limit: a size lasts size/daily days,
// an age its days; AND deletes only when both hold (the longer), OR when
// either does (the shorter).
std::optional<double> days_kept(const tables::ExpireAfter& limit, double daily_bytes) {
  std::optional<double> by_size, by_age;
  if (limit.size_bytes && *limit.size_bytes > 0 && daily_bytes > 0) {
    by_size = static_cast<double>(*limit.size_bytes) / daily_bytes;
  }
  if (limit.age_seconds && *limit.age_seconds > 0) by_age = static_cast<double>(*limit.age_seconds) / kSecondsPerDay;
  if (by_size && by_age) {
    return limit.join == tables::ExpireAfter::Join::And ? std::max(*by_size, *by_age) : std::min(*by_size, *by_age);
  }
  return by_size ? by_size : by_age;
}

void project_space(Projection& p, const std::optional<tables::ExpireAfter>& limit) {
  if (!p.space || p.daily.bytes <= 0) return;
  const double total = static_cast<double>(p.space->total_bytes());
  const double floor = total * p.minfree / 100.0;
  const double usable = std::max(0.0, static_cast<double>(p.space->free_bytes()) - floor);
  // Expiry by size alone caps what the trails take; with an age, or joined
  // by AND, nothing caps it for sure.
  if (limit && limit->size_bytes && *limit->size_bytes > 0 &&
      !(limit->age_seconds && limit->join == tables::ExpireAfter::Join::And) &&
      static_cast<double>(*limit->size_bytes) < usable) {
    p.bounded_by_expiry = true;
    return;
  }
  p.days_to_minfree = usable / p.daily.bytes;
}

}  // namespace

Volume EventVolume::total() const {
  Volume all;
  for (const Volume* v : {&success, &failure, &na_success, &na_failure}) all.add(*v);
  return all;
}

Status VolumeSample::add(std::span<const uint8_t> record) {
  bsm::RecordFacts facts;
  if (Status s = bsm::extract_facts(record, facts); !s) return s;
  const bool failed = facts.has_return && facts.return_errno != 0;
  const bool attributable = facts.has_subject && facts.subject.auid != kUnsetAuid;
  EventVolume& event = events_[facts.event];
  Volume& slot =
      attributable ? (failed ? event.failure : event.success) : (failed ? event.na_failure : event.na_success);
  const Volume one{1, record.size()};
  slot.add(one);
  total_.add(one);
  const auto seconds = static_cast<int64_t>(facts.seconds);
  if (!records_seen_ || seconds < first_) first_ = seconds;
  if (!records_seen_ || seconds > last_) last_ = seconds;
  records_seen_ = true;
  return Ok{};
}

VolumeAdvice rate_sample(const VolumeSample& sample, double span_days, const tables::EventTable& events,
                         const tables::ClassTable& classes) {
  VolumeAdvice advice;
  advice.span_days = span_days;
  advice.sample = sample.total();
  for (const auto& [number, volume] : sample.events()) {
    const tables::EventEntry* entry = events.find(number);
    advice.events.push_back(EventRate{number, entry ? entry->name : std::to_string(number),
                                      entry ? entry->class_mask : 0, per_day(volume.total(), span_days)});
  }
  // Classes with one meaning (not "no", not "all"): an event in two
  // classes counts in both, as it would be audited for either.
  for (const tables::ClassEntry& entry : classes.entries()) {
    if (entry.mask == 0 || entry.mask == 0xffffffffu) continue;
    Volume in_class;
    for (const auto& [number, volume] : sample.events()) {
      if (class_mask_of(events, number) & entry.mask) in_class.add(volume.total());
    }
    advice.classes.push_back(ClassRate{entry.name, entry.description, entry.mask, per_day(in_class, span_days)});
  }
  auto by_bytes = [](const auto& a, const auto& b) { return a.rate.bytes > b.rate.bytes; };
  std::stable_sort(advice.classes.begin(), advice.classes.end(), by_bytes);
  std::stable_sort(advice.events.begin(), advice.events.end(), by_bytes);
  return advice;
}

Projection project(const VolumeSample& sample, double span_days, const tables::EventTable& events,
                   const tables::AuditControl& control, tables::PreselectMask add, std::optional<SpaceInfo> space) {
  Projection p;
  p.flags = merged(control.flags, add);
  p.naflags = merged(control.naflags, add);
  Volume selected;
  for (const auto& [number, volume] : sample.events()) {
    selected.add(kept(volume, class_mask_of(events, number), p.flags, p.naflags));
  }
  p.daily = per_day(selected, span_days);
  p.filesz = control.filesz.value_or(0);
  if (p.filesz != 0) p.filesz = std::max(p.filesz, tables::kMinimumFilesz);
  if (p.filesz != 0) p.trails_per_day = p.daily.bytes / static_cast<double>(p.filesz);
  std::optional<tables::ExpireAfter> limit;
  if (!control.expire_after.empty()) {
    if (auto parsed = tables::parse_expire_after(control.expire_after)) limit = *parsed;
  }
  if (limit) p.days_kept = days_kept(*limit, p.daily.bytes);
  p.dir = control.dirs.empty() ? std::string() : control.dirs.front();
  p.space = space;
  p.minfree = control.minfree.value_or(0);
  project_space(p, limit);
  return p;
}

}  // namespace bullion::trail
