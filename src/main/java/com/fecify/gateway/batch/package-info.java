@NullMarked
package com.fecify.gateway.batch;

import org.jspecify.annotations.NullMarked;
