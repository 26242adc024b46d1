"""What people read: the verdict as a French text, the drafted avis."""
