// count_events: how many records of each event a trail holds. An example of
// a tool written outside the project on the installed libbullion: the
// shared option parser, the trail reader, the record facts and the tables.
//
//   count_events [table options] [trail ...]
#include <bullion/bsm/facts.h>
#include <bullion/input.h>
#include <bullion/tables.h>
#include <bullion/tools/cli.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

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
  std::map<std::string, unsigned long> counts;
  const auto outcome = bullion::input::read_trails("count_events", inputs, [&](const bullion::bsm::RecordView& r) {
    if (r.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    (void)bullion::bsm::extract_facts(r.bytes, facts);  // a damaged record still names its event
    const bullion::tables::EventEntry* event = tables->events->find(facts.event);
    ++counts[event ? std::string(event->name) : std::to_string(facts.event)];
    return true;
  });
  for (const auto& [name, n] : counts) std::printf("%7lu %s\n", n, name.c_str());
  return outcome.clean ? 0 : 1;
}
