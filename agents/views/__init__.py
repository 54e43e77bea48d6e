"""Pages of the agent network for branch staff and the branch head: ``agents``, ``offices``, ``agreements``.

Who may open what is decided once, by ``access.requires``; which rows, by the selectors (``for_user``).
"""
