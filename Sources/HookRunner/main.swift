print("wptsync")
