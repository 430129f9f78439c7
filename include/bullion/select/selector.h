// auditreduce's record selection: the options, parsed into plain Criteria,
// are compiled once into a Selector, which then judges one whole record at a
// time. Header-only selections (-A -a -b -d -m, -c when success and failure
// classes agree, -v) read the header fields straight from the record bytes;
// the other criteria walk the record's tokens, and only then.
//
// Every width of header, subject, process and return token is examined
// alike (OpenBSM's auditreduce looks only at the 32-bit ones; COMPAT.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/sink.h"
#include "bullion/error.h"
#include "bullion/tables.h"

namespace bullion::select {

// One comma-separated item of `-o file=`: an extended regular expression;
// `exclude` when it had a leading `~`.
struct FilePattern {
  std::string regex;
  bool exclude = false;
};

// `-o sock=`: an address, a port, both, or a unix socket path. A socket
// token matches when its local or remote end has every part given.
struct SocketSpec {
  std::optional<uint16_t> port;
  uint32_t addr_type = 0;  // 0 = any address, 4 = IPv4, 16 = IPv6
  uint8_t addr[16] = {};
  std::string unix_path;  // non-empty: match socket-unix tokens by path
};

struct Criteria {
  bool all_times = false;                                // -A: -a/-b/-d do not apply
  std::optional<int64_t> after, before;                  // -a/-b/-d, seconds since the epoch, inclusive
  std::optional<tables::PreselectMask> classes;          // -c
  std::vector<uint16_t> events;                          // -m (any of them)
  std::optional<uint32_t> auid, euid, egid, rgid, ruid;  // -u -e -f -g -r
  std::optional<uint32_t> subject_pid;                   // -j
  std::optional<uint32_t> object_pid;                    // -o pid=
  std::optional<uint32_t> msgqid, semid, shmid;          // -o msgqid= semid= shmid=
  std::vector<FilePattern> files;                        // -o file=
  std::optional<SocketSpec> socket;                      // -o sock=
  std::optional<std::string> zone;                       // -z
  bool invert = false;                                   // -v
};

enum class Verdict : uint8_t { Skip, Select, Damaged };

class Selector {
 public:
  // Errors: a file= pattern that does not compile (the message names it).
  static Result<Selector> compile(const Criteria& criteria, const tables::EventTable& events);

  Selector(Selector&&) noexcept;
  Selector& operator=(Selector&&) noexcept;
  ~Selector();

  // Judges one record (header .. trailer) or stand-alone file token that
  // starts at stream offset `offset`. Damaged: a token the selection had to
  // read does not decode; error() says where.
  Verdict judge(std::span<const uint8_t> record, uint64_t offset);
  const Error& error() const;

  // True when no token past the header is ever decoded.
  bool header_only() const;

 private:
  struct Impl;
  explicit Selector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The selection as a sink in front of another: the records the selector
// selects go on; a record it cannot judge (a token it must read does not
// decode) is damage for the next sink, and reading goes on with the next
// record (its framing is sound).
class SelectingSink final : public bsm::FilterSink {
 public:
  SelectingSink(Selector& selector, bsm::RecordSink& next) : FilterSink(next), selector_(selector) {}
  bsm::Flow record(const bsm::RecordView& record) override;

 private:
  Selector& selector_;
};

// ---- option text -> criteria (the tool's parsing, kept testable) ---------

// -a/-b: OpenBSM's YYYYMMDD[HH[MM[SS]]] in local time, or ISO 8601 with a
// zone: YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM|+HHMM).
Result<int64_t> parse_date_time(std::string_view text);
// -d: YYYYMMDD, local time: the first and last second of that day.
Result<std::pair<int64_t, int64_t>> parse_day(std::string_view text);
// -o file=: comma-separated patterns, `\,` is a literal comma, `~` excludes.
std::vector<FilePattern> parse_file_patterns(std::string_view text);
// -o sock=: PORT, ADDR, ADDR:PORT, [IPV6]:PORT, or /unix/path.
Result<SocketSpec> parse_socket_spec(std::string_view text);

}  // namespace bullion::select
