// Printers: praudit's text (default, -l, -r, -s, -n, -d), its XML (-x), and
// JSON Lines. One walker over the token table feeds every format; a format
// decides only how a value looks.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>

#include "bullion/bsm/reader.h"
#include "bullion/error.h"
#include "bullion/tables.h"
#include "bullion/text/outbuf.h"

namespace bullion::text {

enum class Format { Text, Xml, Json };

struct PrintOptions {
  Format format = Format::Text;
  bool one_line = false;      // -l: one record per line
  bool raw = false;           // -r: numbers instead of names
  bool short_events = false;  // -s: AUE_ names instead of descriptions
  bool no_resolve = false;    // -n: uids/gids as numbers
  std::string delimiter = ",";
  // OpenBSM leaves paths, text and most strings unescaped in XML (ill-formed
  // XML for hostile strings). strict_xml escapes every string instead.
  bool strict_xml = false;
  // OpenBSM prints at most 128 exec args/env strings; we can print all.
  bool all_exec_strings = false;
  // Text and XML: escape control bytes and invalid UTF-8 in strings and
  // names (escape.h, append_terminal_safe), so a hostile path cannot drive
  // the reader's terminal. praudit turns it on when stdout is a terminal;
  // off, the bytes are OpenBSM's.
  bool terminal_safe = false;
};

// Buffered output to a file descriptor: formats append to buffer(); the
// buffer is written out when it passes 1 MiB and at flush().
class Output {
 public:
  explicit Output(int fd) : fd_(fd) {}
  ~Output() { flush(); }
  OutBuf& buffer() { return buf_; }
  void append(std::string_view s) { buf_.append(s); }
  void maybe_flush() {
    if (buf_.size() >= (1u << 20)) flush();
  }
  bool flush();
  bool failed() const { return failed_; }

 private:
  int fd_;
  OutBuf buf_;
  bool failed_ = false;
};

class RecordPrinter {
 public:
  virtual ~RecordPrinter() = default;
  virtual void begin() = 0;  // XML prologue; nothing for other formats
  // Prints one record or stand-alone file token. A token that does not
  // decode ends the record (the tokens before it are printed) and its error
  // is returned; the caller goes on with the next record.
  virtual Status print(const bsm::RecordView& record) = 0;
  virtual void end() = 0;  // XML footer
};

std::unique_ptr<RecordPrinter> make_printer(const PrintOptions& options, const tables::TableSet& tables, Output& out);

}  // namespace bullion::text
