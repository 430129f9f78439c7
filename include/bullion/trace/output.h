// What bsmtrace does with the engine's findings: alert lines (the original
// format), JSON Lines, syslog, evidence files, raw records on stdout, and
// triggers. AlertWriter is the EngineSink the tool plugs in.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
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
// are not UTF-8; bullion/text/json.h). `host` is the machine bsmtrace runs
// on (empty: left out).
std::string format_alert_json(const Alert& alert, std::string_view source, const tables::EventTable* events,
                              tables::Accounts* accounts, std::string_view host = {});

// "2007-04-14T19:15:11.966Z"
std::string utc_time(uint64_t seconds, uint32_t msec);

// Splits a trigger command on spaces and substitutes $subject, $esubject and
// $object inside each word, so a value with spaces stays one argument.
// Words before the first word that starts with a variable stay first; a
// "--" goes before that word, so no value from the audit stream can be
// read as an option of the program. A command without such a word is run
// exactly as written.
std::vector<std::string> trigger_arguments(std::string_view command, std::string_view subject,
                                           std::string_view esubject, std::string_view object);

// The same values as environment variables (BSMTRACE_SEQUENCE,
// BSMTRACE_SUBJECT, BSMTRACE_ESUBJECT, BSMTRACE_OBJECT): a script can read
// them without parsing its arguments.
std::vector<std::string> trigger_environment(std::string_view sequence, std::string_view subject,
                                             std::string_view esubject, std::string_view object);

// Runs triggers without a shell and without waiting: posix_spawn with only
// the given environment. At most `max_running` run at once; the others wait
// in a queue of at most `max_queued` and start as children end (reap() on
// every record). Only what overflows the queue is dropped, and counted.
class TriggerRunner {
 public:
  explicit TriggerRunner(size_t max_running = 64, size_t max_queued = 100000)
      : max_running_(max_running), max_queued_(max_queued) {}
  ~TriggerRunner();
  // Returns an error text: empty when started or queued.
  std::string run(std::vector<std::string> argv, std::vector<std::string> environment = {});
  void reap();      // non-blocking: collects ended children, starts queued triggers
  void wait_all();  // blocking: runs the queue to its end; for tests and tool shutdown
  size_t running() const { return children_.size(); }
  size_t queued() const { return queue_.size(); }
  uint64_t dropped() const { return dropped_; }
  uint64_t started() const { return started_; }
  uint64_t failed() const { return failed_; }  // could not be started (no such program ...)
  std::string take_errors();                   // messages of failed starts since the last call

 private:
  struct Job {
    std::vector<std::string> argv, environment;
  };
  std::string spawn(const Job& job);
  void start_queued();

  size_t max_running_, max_queued_;
  std::vector<int> children_;
  std::deque<Job> queue_;
  uint64_t dropped_ = 0, started_ = 0, failed_ = 0;
  std::string errors_;
};

struct OutputOptions {
  std::string log_dir;           // -l; empty: alerts to stderr
  bool json = false;             // JSON Lines instead of alert lines
  bool syslog = false;           // also to syslog(3)
  bool evidence = false;         // -B: logdir/LABEL/SEC.MSEC.N with the raw records
  bool raw_stdout = false;       // -b: each matching record to stdout
  bool debug = false;            // -d
  FILE* alert_stream = nullptr;  // default destination; nullptr = stderr (stdout for json)
  std::string host;              // this machine's name, for JSON alerts
  size_t max_running_triggers = 64;
  size_t max_queued_triggers = 100000;
};

class AlertWriter : public EngineSink {
 public:
  AlertWriter(OutputOptions options, const tables::EventTable* events, tables::Accounts* accounts);
  // Reaps triggers and reports what failed to start since the last call.
  void poll_triggers();
  ~AlertWriter() override;

  // Opens the log directory; errors are messages for the tool.
  Status open();
  void set_source(std::string source) { source_ = std::move(source); }

  void state_matched(const StateMatch& match) override;
  void completed(const Alert& alert) override;
  void pattern_not_evaluated(const PatternFailure& failure, bool taken_as_match) override;
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
