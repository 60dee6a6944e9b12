#!/bin/sh
# Runs a keychain test binary against the real Secret Service, or with none, then checks that the
# secrets it used were written nowhere: the "secret grep".
#
#   run-with-keyring.sh keyring <test binary> [args]  gnome-keyring-daemon inside dbus-run-session
#   run-with-keyring.sh none    <test binary> [args]  DBUS_SESSION_BUS_ADDRESS points nowhere
#
# Everything happens in a private temporary HOME (XDG config, data, cache and state directories and
# TMPDIR inside it, XDG_RUNTIME_DIR next to it) that is removed afterwards. The secrets are random and
# distinctive and reach the binary only through its environment. After the run, every file under that
# HOME (the keyring's own storage included: it must hold them encrypted, never in plain text), the
# runtime directory and the captured stdout and stderr are searched for each secret, as is and
# base64-encoded; any hit fails the test. Exit 77 (skipped) when the keyring tools are missing.
set -u

mode=${1:?mode: keyring or none}
bin=${2:?test binary}
shift 2

if [ "$mode" = keyring ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "SKIP: $tool is not installed (tools/deps installs it)"
            exit 77
        fi
    done
fi

top=$(mktemp -d "${TMPDIR:-/tmp}/vf-keychain.XXXXXX") || exit 1
trap 'rm -rf "$top"' EXIT
trap 'exit 130' INT TERM
home=$top/home
runtime=$top/runtime
mkdir -p "$home/.config" "$home/.local/share" "$home/.cache" "$home/.local/state" "$home/tmp" "$runtime"
chmod 700 "$home" "$runtime"

random() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
# Distinctive and random; the password has non-ASCII characters too (U+00E4, U+2713).
pw=$(printf 'vf-pw-%s-\303\244\342\234\223' "$(random)")
kp="vf-keypass-$(random)"
other="vf-other-$(random)"
keyring_password="vf-keyring-$(random)"

out=$top/stdout.log
err=$top/stderr.log

# A clean environment: nothing from the caller's desktop session, PG* variables or keyring.
run_env() {
    env -i \
        PATH="${PATH:-/usr/bin:/bin}" HOME="$home" USER="${USER:-root}" LOGNAME="${LOGNAME:-root}" \
        LANG=C.UTF-8 TMPDIR="$home/tmp" XDG_RUNTIME_DIR="$runtime" \
        XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" \
        XDG_STATE_HOME="$home/.local/state" QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="vf.*.debug=true" \
        VF_TEST_SECRET_PASSWORD="$pw" VF_TEST_SECRET_KEYPASS="$kp" VF_TEST_SECRET_OTHER="$other" \
        "$@"
}

if [ "$mode" = keyring ]; then
    # --unlock reads the login keyring's password on stdin and creates that keyring when there is none
    # (as root too); the command returns once the daemon serves the bus. Afterwards the daemon is
    # stopped by the pid the bus knows for org.freedesktop.secrets (it does not always notice that
    # the bus went away).
    run_env VF_KEYCHAIN_EXPECT=available VF_KEYRING_PASSWORD="$keyring_password" \
        dbus-run-session -- sh -c '
            printf %s "$VF_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
            unset VF_KEYRING_PASSWORD
            owner() {
                dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                    "org.freedesktop.DBus.$1" string:org.freedesktop.secrets 2>/dev/null
            }
            # Wait until the daemon owns the name (else the first lookup may start a second one).
            i=0
            until owner NameHasOwner | grep -q "boolean true" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
            "$@"
            rc=$?
            pid=$(owner GetConnectionUnixProcessID | sed -n "s/.*uint32 //p")
            [ -n "$pid" ] && kill "$pid" 2>/dev/null
            exit $rc' sh "$bin" "$@" >"$out" 2>"$err"
    rc=$?
else
    run_env VF_KEYCHAIN_EXPECT=unavailable DBUS_SESSION_BUS_ADDRESS="unix:path=$top/no-such-bus" \
        "$bin" "$@" >"$out" 2>"$err"
    rc=$?
fi

# The secret grep.
files=$(find "$home" "$runtime" -type f | wc -l)
files=$((files + 2)) # stdout, stderr
hits=0
hitfiles=""
for secret in "$pw" "$kp" "$other" "$keyring_password"; do
    for form in "$secret" "$(printf %s "$secret" | base64 -w0)"; do
        found=$(LC_ALL=C grep -rlF -D skip -e "$form" "$home" "$runtime" "$out" "$err" 2>/dev/null)
        if [ -n "$found" ]; then
            hits=$((hits + $(printf '%s\n' "$found" | wc -l)))
            hitfiles="$hitfiles$found
"
        fi
    done
done

status=0
if [ "$hits" -eq 0 ]; then
    # Safe to show: the output holds none of the secrets.
    cat "$out"
    cat "$err" >&2
else
    echo "the test output is not shown: it holds a secret"
fi

keyrings=$home/.local/share/keyrings
if [ "$mode" = keyring ]; then
    if ls "$keyrings"/*.keyring >/dev/null 2>&1; then
        for f in "$keyrings"/*; do
            echo "keyring storage: ${f#"$home"/} ($(wc -c <"$f") bytes, encrypted)"
        done
    else
        echo "FAIL: the keyring stored nothing under ~/.local/share/keyrings"
        status=1
    fi
elif [ -e "$keyrings" ]; then
    echo "FAIL: without a Secret Service something created ~/.local/share/keyrings"
    status=1
fi

echo "files scanned:"
find "$home" "$runtime" -type f | sed "s|^$top/|  |" | sort
echo "  stdout.log"
echo "  stderr.log"
echo "secret-grep: $hits hits for 4 secrets (plain and base64) in $files files" \
    "(HOME: config, data incl. keyrings, cache, state, temp; runtime dir; stdout; stderr)"
if [ "$hits" -ne 0 ]; then
    echo "FAIL: a secret was found in:"
    printf '%s' "$hitfiles" | sed "s|^$top/|  |" | sort -u
    status=1
fi
if [ "$rc" -ne 0 ]; then
    echo "FAIL: the test binary exited with $rc"
    status=1
fi
exit "$status"
