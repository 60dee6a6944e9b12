#include "PkiLog.h"

Q_LOGGING_CATEGORY(lcPki, "vf.pki", QtWarningMsg)
