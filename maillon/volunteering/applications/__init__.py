"""Applications to missions: applying (with or without an account), the thread between
the candidate and the association, the association's decisions, the emails and the
reminders of unanswered applications."""
