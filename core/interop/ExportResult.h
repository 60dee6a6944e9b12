#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace vf::interop {

// What an export produced.
struct ExportResult
{
    QByteArray bytes;  // exactly what to copy (UTF-8): one-line formats (strings, URLs, the psql
                       // command) have no final newline; files and snippets end with one
    QStringList notes; // where the target behaves differently from libpq, what to check (translated)
    bool containsSecrets = false; // the text holds a password or another secret
    QString suggestedFileName;    // "pg_service.conf", "connect.py", …

    QString text() const { return QString::fromUtf8(bytes); }
};

} // namespace vf::interop
