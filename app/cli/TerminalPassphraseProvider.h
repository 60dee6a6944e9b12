#pragma once

// The CLI's answer to "passphrase for this key?": read from the terminal with echo off when standard
// input is a terminal, otherwise refuse (and remember that, so the CLI can say why the key failed).
// Header-only because app/ holds only the entry points; it is used by main.cpp alone.

#include "tls/PassphraseProvider.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <termios.h>
#include <unistd.h>

namespace vf::cli {

class TerminalPassphraseProvider final : public tls::PassphraseProvider
{
public:
    TerminalPassphraseProvider() = default;
    Q_DISABLE_COPY_MOVE(TerminalPassphraseProvider)

    std::optional<QByteArray> passphraseFor(const QString& keyPath) override
    {
        if (::isatty(STDIN_FILENO) != 1) {
            m_refusedKey = keyPath;
            return std::nullopt;
        }
        std::fprintf(stderr,
                     "Enter passphrase for private key \"%s\": ", QFile::encodeName(keyPath).constData());
        std::fflush(stderr);

        termios saved{};
        const bool haveTerminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
        if (haveTerminal) {
            s_saved = saved;
            s_restore = true;
            s_previousInt = std::signal(SIGINT, restoreAndExit);
            s_previousTerm = std::signal(SIGTERM, restoreAndExit);
            termios quiet = saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        QByteArray buffer(4096, '\0');
        qsizetype length = 0;
        bool gotLine = false;
        while (length < buffer.size() - 1) {
            char c = 0;
            const ssize_t n = ::read(STDIN_FILENO, &c, 1);
            if (n <= 0)
                break;
            if (c == '\n' || c == '\r') {
                gotLine = true;
                break;
            }
            buffer[length++] = c;
        }
        if (haveTerminal) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
            s_restore = false;
            std::signal(SIGINT, s_previousInt);
            std::signal(SIGTERM, s_previousTerm);
        }
        std::fputc('\n', stderr);
        QByteArray passphrase = buffer.left(length);
        buffer.fill('\0');
        if (!gotLine && length == 0)
            return std::nullopt; // end of input: cancel
        return passphrase;
    }

    // The key whose passphrase could not be asked for because standard input is not a terminal.
    const QString& refusedKey() const { return m_refusedKey; }

private:
    static void restoreAndExit(int signal)
    {
        if (s_restore)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &s_saved);
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }

    QString m_refusedKey;
    static inline termios s_saved{};
    static inline volatile std::sig_atomic_t s_restore = 0;
    static inline void (*s_previousInt)(int) = SIG_DFL;
    static inline void (*s_previousTerm)(int) = SIG_DFL;
};

} // namespace vf::cli
