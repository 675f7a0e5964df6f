//! The project's channels and bot (api-reference B.8): WhatsApp number check, connected
//! messengers, the bot's message blocks.

use crate::core::schema::*;

pub const CHECK_WHATSAPP: Call = Call {
    name: "checkWhatsapp",
    path: "check_whatsapp",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object { fields: &[Field::new("phone", &TEXT, REQ)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const CONNECTED_CHANNELS: Call =
    Call { name: "connectedChannels", path: "connected_channels", method: Method::Get, input: None, check: None, repeat: Repeat::Safe };

pub const GET_MESSAGES: Call =
    Call { name: "getMessages", path: "get_messages", method: Method::Get, input: None, check: None, repeat: Repeat::Safe };
