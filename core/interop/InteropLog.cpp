#include "InteropLog.h"

namespace vf::interop {

Q_LOGGING_CATEGORY(lcInterop, "vf.interop")

} // namespace vf::interop
