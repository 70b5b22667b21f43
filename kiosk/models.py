"""Queue models (QueueTicket, CallEvent): see the kiosk issue."""
