#pragma once

#include "common/Error.h"
#include "pki/FileInspection.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::ui {

// Turns a file libpq cannot read for its field into the PEM files it can: a PKCS#12 bundle into a
// PEM certificate (with its chain) and a private key readable only by its owner (0600), a DER or
// PKCS#7 file into PEM. The new files go next to the source; nothing is written until write().
class PemConverter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::PemConverter)

public:
    struct Output
    {
        QString path;
        QByteArray data; // may hold an unencrypted private key: never log it
        bool privateKey = false;
    };

    struct Plan
    {
        QString source;
        QList<Output> outputs;
        QString certificatePath; // the file for a certificate field, empty when none
        QString keyPath;         // the file for the key field, empty when none
    };

    PemConverter() = delete;

    // The conversion that would make an inspected file usable by libpq in its role, or nullopt when
    // the file is already fine, or holds nothing that could be converted (a CSR, an SSH key…), or
    // still needs its password.
    static std::optional<Plan> plan(const pki::FileInspection& inspection);

    // The targets that exist already (ask before overwriting them).
    static QStringList existingTargets(const Plan& plan);

    // Writes every output, replacing existing files. Private keys are created with mode 0600 (never
    // readable by others, not even for a moment), certificates with 0644.
    static Result<void> write(const Plan& plan);
};

} // namespace vf::ui
