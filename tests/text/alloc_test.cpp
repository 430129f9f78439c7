// "No allocation per token": once the name caches are warm, printing records
// in any format must not touch the heap. Every operator new in this test
// binary is counted; the second pass over a trail must count none.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"
#include "support/run.h"

// Replacing operator new with malloc/free is allowed; GCC cannot see that
// the pair matches once it inlines them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace bullion::text {
namespace {

// Prints every record of `bytes`; returns how many there were.
size_t print_all(std::span<const uint8_t> bytes, RecordPrinter& printer) {
  auto reader = bsm::RecordReader::from_memory(bytes, "trail");
  bsm::RecordView record;
  size_t n = 0;
  while (reader->next(record) == bsm::RecordReader::Next::Record) {
    EXPECT_TRUE(printer.print(record).ok());
    ++n;
  }
  return n;
}

struct Mode {
  const char* name;
  PrintOptions options;
};

std::vector<Mode> modes() {
  std::vector<Mode> m(6);
  m[0].name = "default";
  m[1].name = "-l", m[1].options.one_line = true;
  m[2].name = "-r", m[2].options.raw = true;
  m[3].name = "-x", m[3].options.format = Format::Xml;
  m[4].name = "--strict-xml", m[4].options.format = Format::Xml, m[4].options.strict_xml = true;
  m[5].name = "--json", m[5].options.format = Format::Json;
  return m;
}

TEST(Allocations, NonePerRecordOnceNamesAreCached) {
  tables::TableOptions table_options;
  table_options.root = testing::shared_dir() + "/golden/root";
  auto tables = tables::load_tables(table_options);
  ASSERT_TRUE(tables.ok());
  const std::string trail = testing::read_file(testing::shared_dir() + "/golden/trails/g07_s107_n2000.bsm");
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(trail.data()), trail.size());
  const int null_fd = open("/dev/null", O_WRONLY);
  ASSERT_GE(null_fd, 0);
  for (const Mode& mode : modes()) {
    Output out(null_fd);
    auto printer = make_printer(mode.options, *tables, out);
    const size_t records = print_all(bytes, *printer);  // warms the caches
    ASSERT_GT(records, 2000u) << mode.name;
    const size_t before = g_allocations.load();
    EXPECT_EQ(print_all(bytes, *printer), records);
    // The reader itself is made once per pass.
    EXPECT_LE(g_allocations.load() - before, 4u)
        << mode.name << ": allocations while printing " << records << " records";
    printer->end();
  }
  close(null_fd);
}

}  // namespace
}  // namespace bullion::text
