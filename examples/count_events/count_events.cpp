// count_events: how many records of each event a trail holds. An example of
// a tool written outside the project on the installed libbullion: the
// shared option parser, a record sink fed by the pipeline, the record facts
// and the tables.
//
//   count_events [table options] [trail ...]
#include <bullion/bsm/facts.h>
#include <bullion/bsm/sink.h>
#include <bullion/pipeline/read.h>
#include <bullion/tables.h>
#include <bullion/tools/cli.h>
#include <bullion/tools/reporter.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

// A sink: records in, counts out; damage goes to the reporter, which
// prints it and decides the exit status.
class EventCounter final : public bullion::bsm::RecordSink {
 public:
  EventCounter(const bullion::tables::EventTable& events, bullion::tools::Reporter& reporter)
      : events_(events), reporter_(reporter) {}

  bullion::bsm::Flow record(const bullion::bsm::RecordView& r) override {
    if (r.is_file_token) return bullion::bsm::Flow::Continue;
    bullion::bsm::RecordFacts facts;
    (void)bullion::bsm::extract_facts(r.bytes, facts);  // a damaged record still names its event
    const bullion::tables::EventEntry* event = events_.find(facts.event);
    ++counts[event ? std::string(event->name) : std::to_string(facts.event)];
    return bullion::bsm::Flow::Continue;
  }
  void damage(const bullion::Error& error) override { reporter_.damage(error); }

  std::map<std::string, unsigned long> counts;

 private:
  const bullion::tables::EventTable& events_;
  bullion::tools::Reporter& reporter_;
};

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  bullion::tables::TableOptions table_options;
  bullion::tools::CommandLine cli("count_events", "[table options] [trail ...]",
                                  "Counts the records of each event in BSM trails (none or \"-\" = stdin).");
  cli.table_options(table_options).operands("trail", inputs);
  if (auto code = cli.parse(argc, argv)) return *code;

  auto tables = bullion::tables::load_tables(table_options);
  if (!tables) {
    std::fprintf(stderr, "count_events: %s\n", tables.error().message.c_str());
    return 2;
  }
  bullion::tools::Reporter reporter("count_events");
  EventCounter counter(*tables->events, reporter);
  bullion::pipeline::read_inputs(inputs, counter);
  for (const auto& [name, n] : counter.counts) std::printf("%7lu %s\n", n, name.c_str());
  return reporter.clean() ? 0 : 1;
}
