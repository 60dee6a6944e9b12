#pragma once

#include "Profile.h"

#include <QUndoCommand>

namespace vf::ui {

class ProfileListModel;

// Deleting a profile, undoably: undo puts it back where it was, with everything it held (the session's
// passwords included).
class DeleteProfileCommand final : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::DeleteProfileCommand)

public:
    DeleteProfileCommand(ProfileListModel* model, const QUuid& id);

    void redo() override;
    void undo() override;

    const Profile& profile() const { return m_profile; }

private:
    ProfileListModel* m_model;
    QUuid m_id;
    Profile m_profile;
    int m_row = -1;
};

} // namespace vf::ui
