// Linux kernel audit records -> BSM records.
//
// The Translator takes raw Linux audit records one at a time, either as
// audit.log lines or as netlink payloads, groups the records of one event
// by serial (records of different events may interleave), and hands one BSM
// record per event to a sink, shaped as a BSD kernel would have written it:
// header, event-specific tokens, subject, return, trailer.
//
// Every event that comes in is either translated or counted as skipped with
// a reason; lines that are not audit records at all are counted as rejected.
// Nothing throws; hostile input is counted, never fatal.
//
// docs/linux.md lists the mapping tables.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bullion/error.h"

namespace bullion::linuxaudit {

struct TranslateStats {
  uint64_t records_in = 0;  // audit records accepted (lines or netlink payloads)
  uint64_t events_in = 0;   // events closed (grouped records)
  uint64_t events_out = 0;  // BSM records handed to the sink
  // Events not translated, by reason. events_in == events_out + sum(skipped).
  std::map<std::string, uint64_t> skipped;
  // Input that is not an audit record (bad header, comment line ...), by reason.
  std::map<std::string, uint64_t> rejected;
  // Auxiliary records of translated events that no BSM token carries
  // (PROCTITLE, AVC, BPRM_FCAPS ...), by record type name.
  std::map<std::string, uint64_t> unused_records;
  // Events reported lost (report_loss), by where: kernel, socket, queue,
  // serial-gap, writer ... Each report is also a record in the output.
  std::map<std::string, uint64_t> lost;

  uint64_t skipped_total() const;
  uint64_t lost_total() const;
};

enum class HeaderKind : uint8_t {
  Header32,    // what a BSD kernel writes when no host address is configured
  Header32Ex,  // header32_ex carrying TranslateOptions::host
};

struct TranslateOptions {
  HeaderKind header = HeaderKind::Header32;
  // Host address for header32_ex: 4 bytes (IPv4) or 16 (IPv6) are used.
  std::array<uint8_t, 16> host{};
  uint8_t host_length = 4;
  // An event without EOE is closed once a record arrives whose timestamp is
  // this many seconds later (auparse uses 2 s too), or at flush().
  uint32_t close_after_seconds = 2;
  // At most this many events wait for more records; beyond it the oldest is
  // closed, so hostile input cannot grow memory without bound.
  size_t max_pending_events = 4096;
};

class Translator {
 public:
  using Sink = std::function<void(std::span<const uint8_t> bsm_record)>;

  explicit Translator(Sink sink, TranslateOptions options = {});
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  // One audit.log line: [node=N ]type=NAME msg=audit(SEC.MSEC:SERIAL): fields
  // (a trailing newline and the ENRICHED section after 0x1d are ignored).
  void feed_log_line(std::string_view line);
  // One netlink record: message type number and "audit(SEC.MSEC:SERIAL): fields".
  void feed_netlink(int type, std::string_view payload);
  // Closes events whose newest record is older than `unix_seconds` minus
  // close_after_seconds (for live feeds that go quiet).
  void expire(uint64_t unix_seconds);
  // End of input: emits every pending event.
  void flush();

  // Something upstream could not deliver `count` events (records, where the
  // source cannot tell): writes a record saying so at this point of the
  // stream and counts it in stats().lost[where]. The record is event
  // AUE_LINUX_LOST (48002) with a text token "lost=N where=WHERE" (and
  // " serials=A-B" when the serial range is known), as src/trail writes its
  // own losses; subject = this process.
  struct SerialRange {
    uint64_t first = 0, last = 0;
  };
  void report_loss(uint64_t count, std::string_view where, std::optional<SerialRange> serials = std::nullopt);

  const TranslateStats& stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// True when the bytes look like the start of a Linux audit.log: the first
// line is "type=... msg=audit(" or "node=... type=... msg=audit(".
bool looks_like_linux_audit_log(std::span<const uint8_t> first_bytes);

// Translates a whole audit.log ("-" = standard input) or an open descriptor
// (read until end of file, not closed), then flushes. Errors are I/O only;
// bad lines are counted in the stats.
Result<TranslateStats> translate_log(const std::string& path, const Translator::Sink& sink,
                                     TranslateOptions options = {});
Result<TranslateStats> translate_log_fd(int fd, const Translator::Sink& sink, TranslateOptions options = {});

}  // namespace bullion::linuxaudit
