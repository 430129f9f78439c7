// passwd(5) and group(5) text read by ourselves, so a trail copied off
// another host resolves names as that host did.
#include <limits>

#include "tables/account_sources.h"
#include "tables/table_text.h"

namespace bullion::tables::detail {

namespace {

// Both maps are filled once; lookups never touch the file again.
class FileNames final : public NameSource {
 public:
  void add(std::string_view name, uint32_t id) {
    // First entry wins both ways, as getpwuid/getpwnam scan files top-down.
    by_id_.try_emplace(id, name);
    by_name_.try_emplace(std::string(name), id);
  }
  std::optional<std::string_view> name(uint32_t id) override {
    auto found = by_id_.find(id);
    if (found == by_id_.end()) return std::nullopt;
    return std::string_view(found->second);  // node-based map: stable address
  }
  std::optional<uint32_t> id(std::string_view name) override {
    auto found = by_name_.find(name);
    if (found == by_name_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::unordered_map<uint32_t, std::string> by_id_;
  StringMap<uint32_t> by_name_;
};

// NIS markers (+name, -name), comments and short lines are skipped, as the
// C library's files backend skips what it can't read.
bool usable(const std::vector<std::string_view>& fields) {
  if (fields.size() < 3 || fields[0].empty()) return false;
  char first = fields[0].front();
  return first != '+' && first != '-' && first != '#';
}

}  // namespace

std::unique_ptr<NameSource> file_names(std::string_view text) {
  auto names = std::make_unique<FileNames>();
  for (const Line& line : split_lines(text)) {
    auto fields = split_exact(line.text, ':');
    if (!usable(fields)) continue;
    auto id = parse_decimal(fields[2]);
    if (!id || *id > std::numeric_limits<uint32_t>::max()) continue;
    names->add(fields[0], static_cast<uint32_t>(*id));
  }
  return names;
}

}  // namespace bullion::tables::detail
