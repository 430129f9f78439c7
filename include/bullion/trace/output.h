// What bsmtrace does with the engine's findings: alert lines (the original
// format), JSON Lines, syslog, evidence files, raw records on stdout, and
// triggers. AlertWriter is the EngineSink the tool plugs in.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/trace/engine.h"

namespace bullion::trace {

// The original alert line, newline included:
// "SEC.MSEC state machine: LABEL subject: auid N completed: duration D
//  seconds priority: P source: SRC"
std::string format_alert_line(const Alert& alert, std::string_view source);

// One JSON object (no newline), always valid UTF-8: strings are spelt as
// praudit --json spells them (U+FFFD plus a "<key>_hex" twin for bytes that
// are not UTF-8; bullion/text/json.h).
std::string format_alert_json(const Alert& alert, std::string_view source, const tables::EventTable* events,
                              tables::Accounts* accounts);

// Splits a trigger command on spaces and substitutes $subject, $esubject and
// $object inside each word, so a value with spaces stays one argument.
std::vector<std::string> trigger_arguments(std::string_view command, std::string_view subject,
                                           std::string_view esubject, std::string_view object);

// Runs triggers without a shell and without waiting: posix_spawn with an
// empty environment; children are reaped with WNOHANG on every call.
class TriggerRunner {
 public:
  explicit TriggerRunner(size_t max_children = 64) : max_children_(max_children) {}
  ~TriggerRunner();
  // Returns an error text, empty on success.
  std::string run(const std::vector<std::string>& argv);
  void reap();      // non-blocking
  void wait_all();  // blocking; for tests and tool shutdown only
  size_t running() const { return children_.size(); }

 private:
  size_t max_children_;
  std::vector<int> children_;
};

struct OutputOptions {
  std::string log_dir;           // -l; empty: alerts to stderr
  bool json = false;             // JSON Lines instead of alert lines
  bool syslog = false;           // also to syslog(3)
  bool evidence = false;         // -B: logdir/LABEL/SEC.MSEC.N with the raw records
  bool raw_stdout = false;       // -b: each matching record to stdout
  bool debug = false;            // -d
  FILE* alert_stream = nullptr;  // default destination; nullptr = stderr (stdout for json)
};

class AlertWriter : public EngineSink {
 public:
  AlertWriter(OutputOptions options, const tables::EventTable* events, tables::Accounts* accounts);
  ~AlertWriter() override;

  // Opens the log directory; errors are messages for the tool.
  Status open();
  void set_source(std::string source) { source_ = std::move(source); }

  void state_matched(const StateMatch& match) override;
  void completed(const Alert& alert) override;
  void debug(std::string_view message) override;

  TriggerRunner& triggers() { return triggers_; }
  uint64_t errors() const { return errors_; }

 private:
  FILE* stream_for(const SequenceSpec& sequence);
  void write_evidence(const Alert& alert);
  std::string user_name(uint32_t uid);

  OutputOptions options_;
  const tables::EventTable* events_;
  tables::Accounts* accounts_;
  std::string source_ = "stdin";
  std::map<std::string, FILE*> log_files_;
  TriggerRunner triggers_;
  uint64_t evidence_serial_ = 0;
  uint64_t errors_ = 0;
};

}  // namespace bullion::trace
