#include "bullion/tools/tool_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "bullion/bsm/errno.h"
#include "text/escape.h"

namespace bullion::tools {
namespace {

std::tm local_time(uint64_t seconds) {
  std::tm tm{};
  const auto t = static_cast<time_t>(seconds);
  localtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::optional<tables::TableSet> load_tables_or_report(std::string_view tool, const tables::TableOptions& options) {
  auto tables = tables::load_tables(options);
  if (tables) return std::move(*tables);
  fmt::print(stderr, "{}: {}\n", tool, tables.error().message);
  return std::nullopt;
}

void append_terminal_safe(std::string& out, std::string_view text) { text::append_terminal_safe(out, text); }

Error token_damage(const bsm::RecordView& record, const Error& error) {
  Error in_input = error;
  in_input.offset += record.offset;
  in_input.source = std::string(record.source);
  return in_input;
}

bool extract_facts_or_report(const bsm::RecordView& record, bsm::RecordFacts& facts, bsm::RecordSink& damage_to) {
  const Status status = bsm::extract_facts(record.bytes, facts);
  if (status) return true;
  damage_to.damage(token_damage(record, status.error()));
  return false;
}

std::string_view input_label(std::string_view source) { return source == "-" ? "stdin" : source; }

std::string format_clock(uint64_t seconds) {
  const std::tm tm = local_time(seconds);
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string format_date_time(uint64_t seconds) {
  const std::tm tm = local_time(seconds);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string format_timestamp(uint64_t seconds, uint32_t msec) {
  const std::tm tm = local_time(seconds);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, msec % 1000);
}

std::string user_label(tables::Accounts& accounts, uint32_t uid) {
  if (auto name = accounts.user_name(uid)) return std::string(*name);
  return std::to_string(uid);
}

std::string failure_text(uint8_t bsm_errno) {
  const std::string_view name = bsm::bsm_errno_name(bsm_errno);
  const auto local = bsm::bsm_to_local_errno(bsm_errno);
  if (name.empty() || !local) return fmt::format("error {}", bsm_errno);
  return fmt::format("{} ({})", name, std::strerror(*local));
}

bool parse_color_mode(std::string_view text, ColorMode& mode) {
  if (text == "auto")
    mode = ColorMode::Auto;
  else if (text == "always")
    mode = ColorMode::Always;
  else if (text == "never")
    mode = ColorMode::Never;
  else
    return false;
  return true;
}

bool use_color(ColorMode mode, int fd) {
  if (mode == ColorMode::Auto) return isatty(fd) != 0;
  return mode == ColorMode::Always;
}

}  // namespace bullion::tools
