// auditview's document: the process model as one JSON object, written in
// pieces so a large tree never sits in memory twice. The same bytes are
// `auditview --json` and the page's embedded data, so the text is safe
// inside an HTML <script> element: '<', '>' and '&' are written as \u003c,
// \u003e and \u0026 and U+2028/U+2029 as \u2028/\u2029 wherever they occur
// (they can only occur inside strings, so the JSON value is unchanged).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/view/process_model.h"

namespace bullion::view {

struct DocumentInfo {
  std::vector<std::string> inputs;  // as given ("-" for standard input)
};

// Calls `emit` with consecutive pieces of the document (no newline at the end).
void write_view_json(const ProcessModel& model, const DocumentInfo& info,
                     const std::function<void(std::string_view)>& emit);

// Replaces, in JSON text, every '<' '>' '&' and U+2028 U+2029 by its \u
// escape, in place.
void make_script_safe(std::string& json);

}  // namespace bullion::view
