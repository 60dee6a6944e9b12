#pragma once

#include "Profile.h"

#include <QUndoCommand>

#include <functional>

namespace vf::ui {

class ProfileListModel;

// Deleting a profile, undoably: undo puts it back where it was, with everything it held (the session's
// passwords included). `notify` is told after each deletion (deleted = true) and restoration, so that
// what lives outside the list (the keychain entries) can follow.
class DeleteProfileCommand final : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::DeleteProfileCommand)

public:
    using Notify = std::function<void(const Profile& profile, bool deleted)>;

    DeleteProfileCommand(ProfileListModel* model, const QUuid& id, Notify notify = {});

    void redo() override;
    void undo() override;

    const Profile& profile() const { return m_profile; }

private:
    ProfileListModel* m_model;
    QUuid m_id;
    Profile m_profile;
    int m_row = -1;
    Notify m_notify;
};

} // namespace vf::ui
