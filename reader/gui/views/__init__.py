"""Feature views: the list, the reading pane, the tabs and menus, each with its controller."""
