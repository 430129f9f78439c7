// audit_class(5): `mask:name:description`.
#include <limits>

#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

// Fields split as OpenBSM's classfromstr does: strtok on ':', so empty
// fields collapse and anything after the third field is ignored.
Result<ClassEntry> parse_class_line(const detail::Line& line) {
  auto fields = detail::split_collapsing(line.text, ':');
  if (fields.size() < 3) return detail::line_error(line, "expected mask:name:description");
  auto mask = detail::parse_c_number(detail::trim(fields[0]));
  if (!mask || *mask > std::numeric_limits<uint32_t>::max()) {
    return detail::line_error(line, "bad class mask '" + std::string(fields[0]) + "'");
  }
  return ClassEntry{static_cast<uint32_t>(*mask), std::string(fields[1]), std::string(fields[2])};
}

}  // namespace

Result<ClassTable> ClassTable::parse(std::string_view text) {
  ClassTable table;
  for (const detail::Line& line : detail::split_lines(text)) {
    if (detail::is_blank_or_comment(line.text)) continue;
    auto entry = parse_class_line(line);
    if (!entry) return entry.error();
    table.entries_.push_back(std::move(*entry));
  }
  return table;
}

// First match wins, as getauclassnam/getauclassnum scan top-down. The table
// has ~20 rows, so a scan beats a hash here.
const ClassEntry* ClassTable::find(std::string_view name) const {
  for (const ClassEntry& entry : entries_) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

const ClassEntry* ClassTable::find_mask(uint32_t mask) const {
  for (const ClassEntry& entry : entries_) {
    if (entry.mask == mask) return &entry;
  }
  return nullptr;
}

}  // namespace bullion::tables
