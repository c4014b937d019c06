//! The IOPub side of the kernel: everything broadcast to every client (status, streams,
//! displays, results, errors) goes through one queue, so it leaves in the order it was made.

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedSender;

use super::wire::Message;

#[derive(Clone)]
pub struct Iopub {
    session: String,
    queue: UnboundedSender<Message>,
}

impl Iopub {
    pub fn new(session: &str, queue: UnboundedSender<Message>) -> Self {
        Self {
            session: session.to_string(),
            queue,
        }
    }

    /// Publishes `content` as a child of `parent`; callable from any thread.
    pub fn publish(&self, parent: &Message, msg_type: &str, content: Value) {
        self.publish_with(parent, msg_type, content, json!({}), Vec::new());
    }

    /// Publishes a message with metadata and binary buffers (comm messages of widgets).
    pub fn publish_with(
        &self,
        parent: &Message,
        msg_type: &str,
        content: Value,
        metadata: Value,
        buffers: Vec<Bytes>,
    ) {
        let mut msg = parent.child(&self.session, msg_type, content);
        // On a PUB socket the first frame is the topic; clients subscribe to everything.
        msg.identities = vec![Bytes::from(format!("kernel.{msg_type}"))];
        msg.metadata = metadata;
        msg.buffers = buffers;
        // The receiver only goes away when the kernel is shutting down.
        let _ = self.queue.send(msg);
    }

    pub fn status(&self, parent: &Message, state: &str) {
        self.publish(parent, "status", json!({ "execution_state": state }));
    }
}
