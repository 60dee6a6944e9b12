#pragma once

// Internal to vf_core: the developer log of core/interop ("vf.interop"). Never log values: they may
// be passwords, and paths may be private.

#include <QLoggingCategory>

namespace vf::interop {

Q_DECLARE_LOGGING_CATEGORY(lcInterop)

} // namespace vf::interop
