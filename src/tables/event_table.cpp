// audit_event(5): `number:AUE_NAME:description:class[,class]`.
#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

constexpr size_t kEventSlots = 65536;

// Fields split as OpenBSM's eventfromstr does (strtok on ':'): empty fields
// collapse, a fifth field is ignored.
Result<EventEntry> parse_event_line(const detail::Line& line, const std::vector<std::string_view>& fields) {
  if (fields.size() < 4) return detail::line_error(line, "expected number:name:description:classes");
  auto number = detail::parse_decimal(detail::trim(fields[0]));
  if (!number || *number >= kEventSlots) {
    return detail::line_error(line, "bad event number '" + std::string(fields[0]) + "'");
  }
  EventEntry entry;
  entry.number = static_cast<uint16_t>(*number);
  entry.name = std::string(fields[1]);
  entry.description = std::string(fields[2]);
  return entry;
}

// OpenBSM keeps the success half of getauditflagsbin(classes) and falls back
// to 0 when any class is unknown; so do we, but say so.
uint32_t event_class_mask(const detail::Line& line, std::string_view classes, const ClassTable& table,
                          std::vector<std::string>& warnings) {
  auto mask = parse_class_flags(classes, table);
  if (mask) return mask->success;
  warnings.push_back("line " + std::to_string(line.number) + ": " + mask.error().message + "; class mask 0");
  return 0;
}

}  // namespace

Result<EventTable> EventTable::parse(std::string_view text, const ClassTable& classes) {
  EventTable table;
  table.by_number_.assign(kEventSlots, -1);
  for (const detail::Line& line : detail::split_lines(text)) {
    if (detail::is_blank_or_comment(line.text)) continue;
    auto fields = detail::split_collapsing(line.text, ':');
    auto entry = parse_event_line(line, fields);
    if (!entry) return entry.error();
    entry->class_mask = event_class_mask(line, fields[3], classes, table.warnings_);
    int32_t& slot = table.by_number_[entry->number];
    if (slot < 0) slot = static_cast<int32_t>(table.entries_.size());  // first wins
    table.entries_.push_back(std::move(*entry));
  }
  return table;
}

EventTable EventTable::with_class_mask(uint16_t number, uint32_t mask) const {
  EventTable copy = *this;
  for (EventEntry& entry : copy.entries_) {
    if (entry.number == number) entry.class_mask = mask;
  }
  return copy;
}

const EventEntry* EventTable::find(uint16_t number) const {
  if (by_number_.empty()) return nullptr;  // default-constructed table
  int32_t index = by_number_[number];
  return index < 0 ? nullptr : &entries_[static_cast<size_t>(index)];
}

// Names are looked up by filters and option parsing, not per record; a scan
// of ~700 rows keeps the table small.
const EventEntry* EventTable::find(std::string_view name) const {
  for (const EventEntry& entry : entries_) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace bullion::tables
