"""Clients of the Microsoft Graph and Zoom APIs, with their settings, error rules and answer models.

Their own package because two domains call the same services: the sources read meetings through them
and the chat posters (notifications) write summaries through them, and neither should import the other.
"""
