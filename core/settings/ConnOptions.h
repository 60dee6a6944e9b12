#pragma once

#include <QString>
#include <QStringView>

#include <span>

namespace vf::settings {

// One libpq connection parameter, as PQconninfoOptions[] (fe-connect.c, PostgreSQL 18) declares it.
struct ConnOptionInfo
{
    const char* keyword;         // "sslmode"
    const char* envVar;          // "PGSSLMODE", or nullptr when libpq reads no variable
    const char* compiledDefault; // "prefer", or nullptr
    const char* dispChar;        // "" normal, "*" secret (password), "D" debug
    int sinceMajor;              // first PostgreSQL major version that knows the keyword
    const char* group;           // "connection", "ssl", "auth", "advanced": how the UI groups it

    bool isSecret() const { return dispChar[0] == '*'; }
    QString keywordString() const { return QString::fromLatin1(keyword); }
};

// Every keyword libpq 18 accepts, in libpq's order.
std::span<const ConnOptionInfo> connOptions();

// The option for a keyword (exact, case-sensitive as libpq), or nullptr when libpq does not know it.
const ConnOptionInfo* findConnOption(QStringView keyword);

} // namespace vf::settings
