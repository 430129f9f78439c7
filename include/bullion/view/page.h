// auditview's page: one self-contained HTML file. Its style sheet and
// script are inline and the only ones its Content-Security-Policy allows
// (by hash); the process model is embedded as the JSON of view_json.h in
// <script type="application/json" id="auditview-data">, where no string can
// end the element or start markup.
#pragma once

#include <functional>
#include <string_view>

#include "bullion/view/process_model.h"
#include "bullion/view/view_json.h"

namespace bullion::view {

void write_view_page(const ProcessModel& model, const DocumentInfo& info,
                     const std::function<void(std::string_view)>& emit);

}  // namespace bullion::view
