// Small pieces every hand tool needs: loading the tables, times, user
// names, failure text and colours. Options are parsed by
// bullion/tools/cli.h, JSON is written by bullion/text/json_writer.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/bsm/sink.h"
#include "bullion/error.h"
#include "bullion/tables.h"

namespace bullion::tools {

// load_tables; on failure the error goes to stderr as "TOOL: why" and the
// result is empty (the tool then exits with its usage status).
std::optional<tables::TableSet> load_tables_or_report(std::string_view tool, const tables::TableOptions& options);

// A token of `record` that did not decode, as damage of the input: the
// offset counted in the input (extract_facts counts from the record's
// start), the input's name as its source.
Error token_damage(const bsm::RecordView& record, const Error& error);
// extract_facts for a hand tool: a token that does not decode is damage for
// `damage_to` (the tool's sink: it writes out its output, then reports) and
// false is returned; the facts gathered before that token are filled, so
// the record can still be shown.
bool extract_facts_or_report(const bsm::RecordView& record, bsm::RecordFacts& facts, bsm::RecordSink& damage_to);
// "stdin" for "-", else the name.
std::string_view input_label(std::string_view source);

// "HH:MM:SS" in local time (TZ), as filewatcher prints it.
std::string format_clock(uint64_t seconds);
// "2024-05-01 12:00:00" in local time: filewatcher's lines (a trail spans days).
std::string format_date_time(uint64_t seconds);
// "2024-05-01T12:00:00.123" in local time, for columns and JSON.
std::string format_timestamp(uint64_t seconds, uint32_t msec);
// The user name, or the number when the uid has no name (never fails).
std::string user_label(tables::Accounts& accounts, uint32_t uid);
// "ENOENT (No such file or directory)" for a BSM error number; the number
// when this host does not know it.
std::string failure_text(uint8_t bsm_errno);

enum class ColorMode { Auto, Always, Never };
// Parses auto|always|never; false when none of them.
bool parse_color_mode(std::string_view text, ColorMode& mode);
// Auto: only when the descriptor is a terminal.
bool use_color(ColorMode mode, int fd);

// Appends text that cannot drive a terminal or forge a line: control bytes,
// C1 controls and invalid UTF-8 as \xNN, \n \t \r, backslash doubled.
void append_terminal_safe(std::string& out, std::string_view text);

}  // namespace bullion::tools
