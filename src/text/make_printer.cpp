#include "text/json_printer.h"
#include "text/praudit_printer.h"

namespace bullion::text {

std::unique_ptr<RecordPrinter> make_printer(const PrintOptions& options, const tables::TableSet& tables, Output& out) {
  if (options.format == Format::Json) return std::make_unique<JsonPrinter>(tables, out);
  return std::make_unique<PrauditPrinter>(options, tables, out);
}

}  // namespace bullion::text
