//! The message webhook Mavibot posts to your URL (api-reference B.9). The service signs
//! nothing, so this only checks the shape; protect the endpoint with a secret path segment.
//! The client's messenger id arrives as `recepient` (sic); the parser keeps it and adds
//! `recipient`.

use crate::core::schema::*;

const ZERO_ONE: Ty = Ty::IntEnum(&[0, 1]);

const CLIENT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("id", &Ty::Id, REQ),
        Field::new("recepient", &Ty::Nullable(&Ty::Either(&STR, &NUM)), 0),
        // The docs type it as a number (B.8.1); one third-party handler saw names like "vk".
        Field::new("client_type", &Ty::Nullable(&Ty::Either(&NUM, &STR)), 0),
        Field::new("name", &Ty::Nullable(&STR), 0),
        Field::new("avatar", &Ty::Nullable(&STR), 0),
        Field::new("created_at", &Ty::Nullable(&Ty::Either(&STR, &NUM)), 0),
        Field::new("tag", &Ty::Nullable(&STR), 0),
        Field::new("group", &Ty::Nullable(&Ty::Either(&STR, &NUM)), 0),
    ],
    more: &[],
    open: true,
});

/// The payload: required `client.id` and `message`; everything else optional and checked
/// when present; unknown fields are kept (the service may add some).
pub const WEBHOOK: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("id", &Ty::Nullable(&Ty::Id), 0),
        Field::new("client", &CLIENT, REQ),
        Field::new("message", &Ty::Nullable(&STR), REQ),
        Field::new("attachments", &Ty::Nullable(&Ty::Any), 0),
        Field::new("message_id", &Ty::Nullable(&Ty::Id), 0),
        Field::new("project_id", &Ty::Nullable(&Ty::Id), 0),
        Field::new("is_input", &Ty::Nullable(&ZERO_ONE), 0),
        Field::new("delivered", &Ty::Nullable(&ZERO_ONE), 0),
        Field::new("error_message", &Ty::Nullable(&STR), 0),
    ],
    more: &[],
    open: true,
});
