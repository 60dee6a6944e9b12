#include "ProfileFilterProxy.h"

#include "ProfileListModel.h"

namespace vf::ui {

ProfileFilterProxy::ProfileFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setFilterRole(ProfileListModel::SearchRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
    setDynamicSortFilter(true);
    sort(0);
}

} // namespace vf::ui
