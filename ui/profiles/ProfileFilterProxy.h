#pragma once

#include <QSortFilterProxyModel>

namespace vf::ui {

// Filters the profile list as one types (name, host, database, user, sslmode; case-insensitive) and
// sorts it by name in the user's locale.
class ProfileFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileFilterProxy)

public:
    explicit ProfileFilterProxy(QObject* parent = nullptr);
};

} // namespace vf::ui
