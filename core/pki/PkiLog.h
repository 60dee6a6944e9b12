#pragma once

#include <QLoggingCategory>

// Developer diagnostics of core/pki ("vf.pki"). Never log passphrases, passwords or key material.
Q_DECLARE_LOGGING_CATEGORY(lcPki)
