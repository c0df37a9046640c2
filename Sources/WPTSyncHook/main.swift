import Foundation
import HookIntake

exit(HookMain.main(arguments: Array(CommandLine.arguments.dropFirst())))
